import type { CreditEvent } from './credit-event';
import type { TraceContext } from './trace-context';

/** A validated event on its way in, with the hash of its canonical content (eventContentHash). */
export interface IntakeEvent {
  event: CreditEvent;
  contentHash: string;
  /** The request (or message) that brought it, kept with the event into its decision; not part of its content. */
  trace?: TraceContext;
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

/** Bound by the ingest app per TRANSPORT. */
export const INBOUND_EVENT_SINK = Symbol('INBOUND_EVENT_SINK');
