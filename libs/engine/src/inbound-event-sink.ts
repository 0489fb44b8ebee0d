import { CreditEvent, idReusedError } from '@app/domain';
import type { ReceiptOutcome } from '@app/persistence';

/** A validated event on its way in, with the hash of its canonical content (eventContentHash). */
export interface IntakeEvent {
  event: CreditEvent;
  contentHash: string;
}

/** Where accepted events go durably before the 202: the inbox table, or the Kafka inbound topic. */
export interface InboundEventSink {
  /**
   * Resolves once every event (distinct identities, one source) is durable, with the ids of
   * those accepted before with the same content. Rejects with EVENT.ID_REUSED, keeping none
   * of the batch, when an id was accepted before with other content.
   */
  accept(events: readonly IntakeEvent[]): Promise<ReadonlySet<string>>;
}

export const INBOUND_EVENT_SINK = Symbol('INBOUND_EVENT_SINK');

/** Ids known before with the same content; throws EVENT.ID_REUSED for the first known with other content. */
export function knownBefore(events: readonly IntakeEvent[], outcomes: readonly ReceiptOutcome[]): Set<string> {
  const known = new Set<string>();
  outcomes.forEach((outcome, i) => {
    if (outcome.written) return;
    const { event, contentHash } = events[i];
    // A row from before hashes were kept (null) cannot be compared: it is taken as the same event.
    if (outcome.contentHash !== null && outcome.contentHash !== contentHash) throw idReusedError(event.source, event.id);
    known.add(event.id);
  });
  return known;
}

export function inboxInput({ event, contentHash }: IntakeEvent) {
  return { source: event.source, id: event.id, type: event.type, subject: event.subject, envelope: event as unknown as Record<string, unknown>, contentHash };
}
