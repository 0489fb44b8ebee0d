import type { DecisionIssuedEntry, DecisionIssuedInput, DecisionIssuedRecord } from './decision-issued.record';
import type { LifecycleRecord, LifecycleRecordInput } from './lifecycle.record';
import type { RefusalRecord, RefusalRecordInput } from './refusal.record';

/** Every record a department receives, on its topic and its feed alike, told apart by `kind`. */
export type FeedRecord = DecisionIssuedRecord | LifecycleRecord | RefusalRecord;

/** A record with its addressing and payload. */
export type FeedRecordInput = DecisionIssuedInput | LifecycleRecordInput | RefusalRecordInput;

/**
 * What the engine writes to a department's feed (feed_record): decision.issued as an index entry
 * only, its record rendered from the stored decision when read or relayed; lifecycle changes and
 * refusals with their payload, because they describe a moment (a decision's state then) that
 * the decision's rows no longer hold once it changes again. A full decision.issued record is
 * also accepted (rows written before records were rendered, and tests).
 */
export type FeedEntry = DecisionIssuedEntry | FeedRecordInput;
