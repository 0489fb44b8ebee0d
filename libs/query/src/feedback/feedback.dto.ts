import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches, ValidateIf, validateSync, ValidationError } from 'class-validator';
import { IsCalendarDate, Violation } from '@app/domain';
import type { FeedbackOutcome } from '@app/persistence';
import { FeedbackError } from './feedback.errors';

export const FEEDBACK_OUTCOMES: readonly FeedbackOutcome[] = ['applied', 'not-applicable', 'exempted', 'failed'];

/** Outcomes that are not the measure being applied must say why (an exemption is a decision with a reason). */
const NEEDS_REASON: ReadonlySet<FeedbackOutcome> = new Set(['not-applicable', 'exempted', 'failed']);

/** Non-blank text of at most `max` characters. */
const text = (max: number) => new RegExp(`^(?=[\\s\\S]*\\S)[\\s\\S]{1,${max}}$`);

/** What an implementing department reports about one measure task (反馈). */
export class FeedbackDto {
  @IsIn(FEEDBACK_OUTCOMES, { message: `outcome must be one of ${FEEDBACK_OUTCOMES.join(', ')}` })
  outcome: FeedbackOutcome;

  @ValidateIf((dto: FeedbackDto) => NEEDS_REASON.has(dto.outcome) || dto.reason !== undefined)
  @Matches(text(2000), { message: 'reason is required when the outcome is not-applicable, exempted or failed: a non-blank text of at most 2000 characters' })
  reason?: string;

  /** The case number or approval number under which the department acted. */
  @Matches(text(200), { message: 'businessReference (the case or approval number) is required: a non-blank text of at most 200 characters' })
  businessReference: string;

  @IsCalendarDate()
  appliedOn: string;

  /** The user id of the clerk who reported, as the department's own system knows it. */
  @IsOptional()
  @Matches(text(128), { message: 'operator must be a non-blank user id of at most 128 characters' })
  operator?: string;

  /** Report on a task that has ended (revoked, expired) knowingly; refused otherwise. */
  @IsOptional()
  @IsBoolean()
  acknowledgeRevoked?: boolean;
}

export interface FeedbackReport {
  outcome: FeedbackOutcome;
  reason: string | null;
  businessReference: string;
  appliedOn: string;
  operator: string | null;
  acknowledgeRevoked: boolean;
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Validate an untrusted request body as a feedback report. `today` is the China date of the
 * injected clock: a measure cannot have been applied in the future.
 */
export function parseFeedbackReport(body: unknown, today: string): FeedbackReport {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ path: '', message: 'the body must be a JSON object (Content-Type: application/json)' }]);
  }
  const dto = plainToInstance(FeedbackDto, body);
  const violations = flatten(validateSync(dto, VALIDATION));
  if (!violations.some((v) => v.path === 'appliedOn') && dto.appliedOn > today) {
    violations.push({ path: 'appliedOn', message: `appliedOn may not be in the future (today is ${today}, China time)` });
  }
  if (violations.length > 0) throw invalid(violations);
  return {
    outcome: dto.outcome,
    reason: dto.reason ?? null,
    businessReference: dto.businessReference,
    appliedOn: dto.appliedOn,
    operator: dto.operator ?? null,
    acknowledgeRevoked: dto.acknowledgeRevoked ?? false,
  };
}

function invalid(violations: Violation[]): FeedbackError {
  return new FeedbackError('REQUEST.INVALID_FEEDBACK', `invalid feedback: ${violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('; ')}`, { violations });
}

function flatten(errors: ValidationError[]): Violation[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => ({ path: error.property, message })));
}
