import { DomainError, ErrorKinds } from '@app/domain';

/**
 * The intake's refusal of a valid event before it is stored. The same code is the outcome code
 * of a sanction.refused record (OUTCOME_CODES), when only some memoranda refuse.
 */
export type EventIntakeErrorCode = 'EVENT.CONDUCT_PAST_LIMIT';

export const EVENT_INTAKE_ERROR_KINDS: ErrorKinds<EventIntakeErrorCode> = {
  'EVENT.CONDUCT_PAST_LIMIT': 'unprocessable',
};

export class EventIntakeError extends DomainError {
  declare readonly code: EventIntakeErrorCode;

  constructor(code: EventIntakeErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
