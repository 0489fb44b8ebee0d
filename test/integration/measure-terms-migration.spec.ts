import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { decisionIssuedEntries, LifecycleChangeFact, lifecycleRecordsOf, MemorandumHeading } from '@app/decision-log';
import { DecisionRepository, FeedRepository, materialiseVersion4 } from '@app/persistence';
import type { PlannedDecision } from '@app/rules';
import { openTestDatabase, truncateAll } from '../support/database';

/** Records rendered by version 4 (commit 7baedcf) with the decisions and change they came from. */
interface Fixture {
  issuedAt: string;
  memoranda: Record<string, MemorandumHeading>;
  decisions: PlannedDecision[];
  issued: { recordId: string }[];
  change: LifecycleChangeFact;
  lifecycle: { recordId: string }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/records-v4.json'), 'utf8')) as Fixture;

/**
 * Migration 1765411200000: feed rows that were rendered in version 4 keep the records they were
 * read as. Stored as version 4 stored them (the stored decision and the tasks' text and basis,
 * the stored change), materialised, and then read back from the feed and the outbox.
 */
describe('migration 1765411200000: version-4 records keep what they said', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
    await truncateAll(db);
    const memoranda = new Map(Object.entries(fixture.memoranda));
    const repository = new DecisionRepository();
    const lifecycle = lifecycleRecordsOf(fixture.change).map(({ payload: _payload, ...envelope }) => ({ ...envelope, change: fixture.change }));
    await db.transaction((manager) => repository.saveAll(manager, fixture.decisions, [...decisionIssuedEntries(fixture.decisions), ...lifecycle], { at: new Date(fixture.issuedAt), memoranda }));
    // What version 4 stored: no terms references on the tasks.
    await db.query(`UPDATE decision SET record = jsonb_set(record, '{measureTasks}', (SELECT coalesce(jsonb_agg(t - 'terms'), '[]') FROM jsonb_array_elements(record->'measureTasks') t))`);
    await db.query(`TRUNCATE measure_terms`);
  });

  afterAll(async () => {
    if (db) await truncateAll(db);
    await db?.destroy();
  });

  it('writes each row its version-4 payload, which the feed and the relay then serve as stored', async () => {
    const rows = fixture.issued.length + fixture.lifecycle.length;
    expect(await materialiseVersion4(db)).toBe(rows);
    const expected = new Map([...fixture.issued, ...fixture.lifecycle].map((r) => [r.recordId, r]));
    const feed = new FeedRepository(db);
    const departments = new Set<string>([...fixture.decisions.flatMap((d) => d.addressees), ...fixture.change.parties.addressees]);
    let read = 0;
    for (const department of departments) {
      for (const row of await feed.readAfter(department, '0', 500)) {
        expect({ recordId: row.recordId, payload: row.payload }).toEqual({ recordId: row.recordId, payload: expected.get(row.recordId) });
        read++;
      }
    }
    expect(read).toBe(rows);
    const outbox = await feed.unpublished(db.manager, 500);
    expect(outbox).toHaveLength(rows);
    for (const row of outbox) expect(JSON.parse(row.payloadJson)).toEqual(expected.get(row.recordId));
    // Nothing is left to render, and a second run finds nothing to do.
    const [{ unrendered }] = await db.query(`SELECT count(*)::int AS unrendered FROM feed_record WHERE payload IS NULL`);
    expect(unrendered).toBe(0);
    expect(await materialiseVersion4(db)).toBe(0);
  });
});
