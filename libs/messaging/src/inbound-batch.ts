import type { IHeaders } from 'kafkajs';

/** A message as consumed, before any decoding: what a dead letter must preserve. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  /** The message's Kafka timestamp (ms since the epoch, as text): when it was appended, with the topics' default CreateTime. */
  timestamp?: string;
}

/** A message the handler refused, and why. */
export interface Rejection {
  offset: string;
  code: string;
  message: string;
  violations?: unknown[];
}

export interface BatchOutcome {
  rejected: Rejection[];
}

/** What a batch handler registered with @EventPattern(topic) receives. */
export interface InboundBatch {
  topic: string;
  partition: number;
  messages: InboundMessage[];
}
