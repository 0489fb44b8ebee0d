import type { DecisionIssuedInput, DecisionIssuedRecord } from './decision-issued.record';
import type { LifecycleRecord, LifecycleRecordInput } from './lifecycle.record';
import type { RefusalRecord, RefusalRecordInput } from './refusal.record';

/** Every record a department receives, on its topic and its feed alike, told apart by `kind`. */
export type FeedRecord = DecisionIssuedRecord | LifecycleRecord | RefusalRecord;

/** A record with its addressing, as the engine stores it in the outbox (feed_record). */
export type FeedRecordInput = DecisionIssuedInput | LifecycleRecordInput | RefusalRecordInput;
