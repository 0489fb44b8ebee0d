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

/** A message the handler refused, and why (a batch may span partitions: the message is named by all three). */
export interface Rejection {
  topic: string;
  partition: number;
  offset: string;
  code: string;
  message: string;
  violations?: unknown[];
}

export interface BatchOutcome {
  rejected: Rejection[];
}

/**
 * What a batch handler registered with @EventPattern(topic) receives: the messages of one or
 * more partition slices (slices of partitions consumed at the same time share one batch, and so
 * one transaction), each message naming its own topic and partition.
 */
export interface InboundBatch {
  messages: InboundMessage[];
}

/** Consecutive messages of one partition: what offsets are committed for. */
export interface PartitionSlice extends InboundBatch {
  topic: string;
  partition: number;
}
