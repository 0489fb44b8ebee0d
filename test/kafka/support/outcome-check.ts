import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { compareIds, ExpectedOutcome } from './credit-events';
import { KafkaRun, topicsOf } from './kafka-test-env';
import { decisionFeedRecordCounts, idCounts } from './test-db';
import { TopicReader } from './topic-reader';

export interface Progress {
  events: number;
  feedRecords: number;
  published: number;
}

/** How far the engine is: events marked processed, feed records written, and published by the relay. */
export async function progress(db: DataSource): Promise<Progress> {
  const [row] = await db.query(`
    SELECT (SELECT count(*)::int FROM inbound_event) AS events,
           (SELECT count(*)::int FROM feed_record) AS "feedRecords",
           (SELECT count(*)::int FROM feed_record WHERE published_at IS NOT NULL) AS published`);
  return row;
}

/**
 * Wait until every event is processed (and, unless `feedRecords` is undefined, every feed
 * record published). Fails early when nothing moves for `stallMs` (a stuck consumer or
 * relay), rather than at the deadline.
 */
export async function waitUntilAllDecidedAndPublished(db: DataSource, events: number, feedRecords: number | undefined, timeoutMs: number, stallMs = 75_000): Promise<Progress> {
  const want = feedRecords === undefined ? `${events} events decided` : `${events} events decided and ${feedRecords} feed records published`;
  const deadline = Date.now() + timeoutMs;
  let last = await progress(db);
  let lastChange = Date.now();
  for (;;) {
    const now = await progress(db);
    if (now.events >= events && (feedRecords === undefined || (now.feedRecords >= feedRecords && now.published >= now.feedRecords))) return now;
    if (now.events !== last.events || now.published !== last.published || now.feedRecords !== last.feedRecords) {
      last = now;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > stallMs) throw new Error(`no progress for ${stallMs / 1000} s towards ${want}: stuck at ${JSON.stringify(now)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${want}: so far ${JSON.stringify(now)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface Discrepancies {
  missing: string[];
  unexpected: string[];
  duplicated: string[];
}

const NONE: Discrepancies = { missing: [], unexpected: [], duplicated: [] };

/** Shorten a discrepancy report so a failure prints the counts and a few examples, not thousands of ids. */
export function summarise(d: Discrepancies): { missing: number; unexpected: number; duplicated: number; examples: string[] } {
  return { missing: d.missing.length, unexpected: d.unexpected.length, duplicated: d.duplicated.length, examples: [...d.missing, ...d.unexpected, ...d.duplicated].slice(0, 5) };
}

export const NO_DISCREPANCY = summarise(NONE);

/**
 * Compare the database with what the reference evaluator decides: every decision, list
 * entry, measure task and feed record exactly once, none more; and each event's processed
 * marker with its number of decisions.
 */
export async function checkDatabase(db: DataSource, expected: ExpectedOutcome & { perEvent: Map<string, ExpectedOutcome> }) {
  const markers: { event_id: string; decision_count: number }[] = await db.query(`SELECT event_id, decision_count FROM inbound_event`);
  const markerCounts = new Map<string, number>();
  for (const m of markers) markerCounts.set(m.event_id, (markerCounts.get(m.event_id) ?? 0) + 1);
  const wrongCounts = markers.filter((m) => expected.perEvent.get(m.event_id)?.decisionIds.length !== m.decision_count).map((m) => m.event_id);
  const recordsPerDepartment: { record_id: string; department: string }[] = await db.query(`SELECT record_id::text, department FROM feed_record`);
  const misaddressed = recordsPerDepartment.filter((r) => expected.feedRecords.get(r.record_id) !== undefined && expected.feedRecords.get(r.record_id) !== r.department);
  return {
    events: summarise(compareIds(expected.perEvent.keys(), markerCounts)),
    eventsWithWrongDecisionCount: wrongCounts.length,
    decisions: summarise(compareIds(expected.decisionIds, await idCounts(db, 'decision', 'id'))),
    listEntries: summarise(compareIds(expected.listEntryIds, await idCounts(db, 'list_entry', 'id'))),
    measureTasks: summarise(compareIds(expected.measureTaskIds, await idCounts(db, 'measure_task', 'id'))),
    feedRecords: summarise(compareIds(expected.feedRecords.keys(), await decisionFeedRecordCounts(db))),
    misaddressedFeedRecords: misaddressed.length,
  };
}

export const DATABASE_MATCHES = {
  events: NO_DISCREPANCY,
  eventsWithWrongDecisionCount: 0,
  decisions: NO_DISCREPANCY,
  listEntries: NO_DISCREPANCY,
  measureTasks: NO_DISCREPANCY,
  feedRecords: NO_DISCREPANCY,
  misaddressedFeedRecords: 0,
};

/**
 * Read every department topic of the run from the beginning with a fresh consumer and
 * count messages by ce_id: each expected feed record exactly once, on its department's topic.
 */
export async function checkTopics(kafka: Kafka, run: KafkaRun, expectedRecords: ReadonlyMap<string, string>, timeoutMs: number) {
  const topics = topicsOf(run);
  const reader = await TopicReader.start(kafka, [topics.allDecisions], { keepValues: false });
  try {
    let waitError: string | undefined;
    await reader.waitForCeIds(expectedRecords.keys(), timeoutMs).catch((error: Error) => (waitError = error.message));
    await reader.settle(3000, 60_000);
    const wrongTopic = [...expectedRecords].filter(([id, department]) => reader.withCeId(id).some((m) => m.topic !== topics.decisionsFor(department))).length;
    return { messages: reader.messages.length, waitError, byCeId: summarise(compareIds(expectedRecords.keys(), reader.ceIdCounts())), wrongTopic };
  } finally {
    await reader.stop();
  }
}

export function topicsMatch(expectedRecords: number) {
  return { messages: expectedRecords, waitError: undefined, byCeId: NO_DISCREPANCY, wrongTopic: 0 };
}
