import type { BulletinIssuedInput, BulletinIssuedRecord } from './bulletin.record';
import type { CoordinationClosedInput, CoordinationClosedRecord, CoordinationOpenedInput, CoordinationOpenedRecord } from './coordination.record';
import type { CreditClassChangedInput, CreditClassChangedRecord } from './credit-class.record';
import type { DecisionIssuedEntry, DecisionIssuedInput, DecisionIssuedRecord } from './decision-issued.record';
import type { LifecycleEntry, LifecycleRecord, LifecycleRecordInput } from './lifecycle.record';
import type { RefusalRecord, RefusalRecordInput } from './refusal.record';

/** Every record a department receives, on its topic and its feed alike, told apart by `kind`. */
export type FeedRecord = DecisionIssuedRecord | LifecycleRecord | RefusalRecord | CreditClassChangedRecord | BulletinIssuedRecord | CoordinationOpenedRecord | CoordinationClosedRecord;

/** A record with its addressing and payload. */
export type FeedRecordInput = DecisionIssuedInput | LifecycleRecordInput | RefusalRecordInput | CreditClassChangedInput | BulletinIssuedInput | CoordinationOpenedInput | CoordinationClosedInput;

/**
 * What the engine writes to a department's feed (feed_record): decision.issued and lifecycle
 * records as index entries, rendered when read or relayed from the stored decision or the
 * stored change (each stored once, not once per addressee); refusals whole, as each has a single
 * addressee and nothing else holds what it says. Whole records of the other kinds are also
 * accepted (rows written before records were rendered, and tests).
 */
export type FeedEntry = DecisionIssuedEntry | LifecycleEntry | FeedRecordInput;
