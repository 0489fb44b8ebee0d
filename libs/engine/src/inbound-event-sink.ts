import { CreditEvent } from '@app/domain';

/** Where accepted events go durably before the 202: the inbox table, or the Kafka inbound topic. */
export interface InboundEventSink {
  /** Resolves once every event is durable, with the ids of those accepted before (same source and id). */
  accept(events: readonly CreditEvent[]): Promise<ReadonlySet<string>>;
}

export const INBOUND_EVENT_SINK = Symbol('INBOUND_EVENT_SINK');
