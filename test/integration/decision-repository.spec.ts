import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseCreditEvent } from '@app/domain';
import { decisionIssuedEntries } from '@app/decision-log';
import { DecisionRepository } from '@app/persistence';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleSet } from '@app/rules';
import { openTestDatabase, truncateAll } from '../support/database';

const root = join(__dirname, '../..');

describe('DecisionRepository (real PostgreSQL)', () => {
  let db: DataSource;
  const repository = new DecisionRepository();
  const ruleSet = loadRuleSet(join(root, 'rules'));
  const evaluator = new JsonRulesEngineEvaluator(ruleSet);
  const memoranda = new Map(ruleSet.memoranda.map((m) => [m.id, m]));
  const event = parseCreditEvent(JSON.parse(readFileSync(join(root, 'test/fixtures/judgment-debtor-listed.json'), 'utf8')));

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  beforeEach(async () => {
    await truncateAll(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const counts = async () => {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM decision)::int AS decisions, (SELECT count(*) FROM list_entry)::int AS entries,
              (SELECT count(*) FROM measure_task)::int AS tasks, (SELECT count(*) FROM feed_record)::int AS records`,
    );
    return row as { decisions: number; entries: number; tasks: number; records: number };
  };

  it('stores a decision, its list entry, measure tasks and one feed record per addressee', async () => {
    const decisions = await decideCreditEvent(event, ruleSet, evaluator);
    const records = decisionIssuedEntries(decisions);
    await db.transaction((manager) => repository.saveAll(manager, decisions, records, { at: new Date(), memoranda }));
    expect(await counts()).toEqual({
      decisions: decisions.length,
      entries: decisions.reduce((n, d) => n + d.listEntries.length, 0),
      tasks: decisions.reduce((n, d) => n + d.measureTasks.length, 0),
      records: records.length,
    });
    const [entry] = await db.query(`SELECT subject_id, list_code, valid_from::text, valid_to::text, state, explanation FROM list_entry`);
    expect(entry).toMatchObject({ subject_id: event.subject, list_code: 'judgment-debtor', valid_from: '2026-11-20', state: 'active' });
    expect(entry.explanation.memorandum.id).toBe('judgment-debtors');
  });

  it('stores nothing twice when the same event is decided again (redelivery)', async () => {
    for (let i = 0; i < 2; i++) {
      const decisions = await decideCreditEvent(event, ruleSet, evaluator);
      await db.transaction((manager) => repository.saveAll(manager, decisions, decisionIssuedEntries(decisions), { at: new Date(), memoranda }));
    }
    const once = await decideCreditEvent(event, ruleSet, evaluator);
    expect((await counts()).tasks).toBe(once.reduce((n, d) => n + d.measureTasks.length, 0));
    expect((await counts()).decisions).toBe(once.length);
  });

  it('rolls back everything when the transaction fails', async () => {
    const decisions = await decideCreditEvent(event, ruleSet, evaluator);
    await expect(
      db.transaction(async (manager) => {
        await repository.saveAll(manager, decisions, decisionIssuedEntries(decisions), { at: new Date(), memoranda });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await counts()).toEqual({ decisions: 0, entries: 0, tasks: 0, records: 0 });
  });
});
