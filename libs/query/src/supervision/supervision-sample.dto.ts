import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, ValidateNested, validateSync, ValidationError } from 'class-validator';
import { assertSafeJson, EventValidationError, Violation } from '@app/domain';
import { SupervisionError } from './supervision.errors';

/** Codes an inspection directory may list in one request: a district's directory of one department is a few thousand. */
export const MAX_LISTED_SUBJECTS = 20_000;

/**
 * The population the sample is drawn from: the department's inspection directory (检查对象名录库)
 * as unified social credit codes, and/or every organisation the model has classified. Both
 * given: their union, a code in both counted once.
 */
export class SamplePopulationDto {
  @IsOptional()
  @IsArray({ message: 'population.subjects must be an array of unified social credit codes' })
  @ArrayMaxSize(MAX_LISTED_SUBJECTS, { message: `population.subjects lists at most ${MAX_LISTED_SUBJECTS} codes` })
  @IsString({ each: true, message: 'population.subjects must hold unified social credit codes (strings)' })
  subjects?: string[];

  @IsOptional()
  @IsBoolean({ message: 'population.includeClassified must be true or false' })
  includeClassified?: boolean;
}

/** A request to draw one period's spot-check sample (双随机抽查). */
export class SampleRequestDto {
  /** A credit class model of the department's supervision plans; defaults to its only one. */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'model must be a credit class model id such as "market-credit-class"' })
  model?: string;

  /** e.g. 2026-Q4; its shape follows the plan's frequency. */
  @Matches(/^[0-9A-Z-]{4,7}$/, { message: 'period is required: 2026 (year), 2026-H2 (half-year), 2026-Q4 (quarter) or 2026-11 (month), as the plan\'s frequency says' })
  period: string;

  @ValidateNested()
  @Type(() => SamplePopulationDto)
  population: SamplePopulationDto;
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validate an untrusted body; every violation named by its path. */
export function parseSampleRequest(body: unknown): SampleRequestDto {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ path: '', message: 'the body must be a JSON object (Content-Type: application/json)' }]);
  }
  try {
    assertSafeJson(body);
  } catch (error) {
    if (error instanceof EventValidationError) throw invalid(error.violations);
    throw error;
  }
  const parsed = plainToInstance(SampleRequestDto, body);
  const violations = flatten(validateSync(parsed, VALIDATION));
  if (parsed.population === undefined || parsed.population === null || typeof parsed.population !== 'object') {
    violations.push({ path: 'population', message: 'population is required: { subjects: [codes], includeClassified: true|false }' });
  }
  if (violations.length > 0) throw invalid(violations);
  return parsed;
}

function invalid(violations: Violation[]): SupervisionError {
  return new SupervisionError('REQUEST.INVALID_SAMPLE', `invalid sample request: ${violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('; ')}`, { violations });
}

function flatten(errors: ValidationError[], prefix = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((message) => ({ path, message })), ...flatten(error.children ?? [], path)];
  });
}
