import { DomainError, ErrorKinds } from '@app/domain';

/** Another department's event is refused outright; an unknown one is not found. */
export type EventStatusErrorCode = 'EVENT.NOT_SENDER' | 'EVENT.NOT_FOUND';

export const EVENT_STATUS_ERROR_KINDS: ErrorKinds<EventStatusErrorCode> = {
  'EVENT.NOT_SENDER': 'forbidden',
  'EVENT.NOT_FOUND': 'not-found',
};

export class EventStatusError extends DomainError {
  declare readonly code: EventStatusErrorCode;

  constructor(code: EventStatusErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
