import { ConductEventData } from './credit-event-data.dto';
import { CreditEvent } from './credit-event';
import { EventValidationError } from './event-validation.errors';

/**
 * A conduct cannot have ended after today (China date): a later conductEndedOn would start the
 * five-year limit in the future. Refused alike over HTTP (422) and Kafka (dead letter).
 */
export function assertConductEndNotInFuture(event: CreditEvent, today: string): void {
  const stated = (event.data as ConductEventData).conductEndedOn;
  if (stated === undefined || stated <= today) return;
  throw new EventValidationError('EVENT.SCHEMA_VIOLATION', `data.conductEndedOn ${stated} is after today (${today} in China): a conduct cannot have ended in the future`, [
    { path: 'data.conductEndedOn', message: 'must not be after today' },
  ]);
}
