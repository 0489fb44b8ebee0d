import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CreditEvent, parseCreditEvent } from '@app/domain';
import { decisionIssuedEntries, decisionIssuedRecords, DecisionIssuedInput, DecisionIssuedRecord, measureTermsRef, EndReason, EntryState, FeedRecordInput, LifecycleChange, lifecycleEntries, lifecycleRecords, RecordState, StoredDecisionParties, TaskState } from '@app/decision-log';
import { DecisionRepository, FeedRepository, MeasureTermsRepository } from '@app/persistence';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet, PlannedDecision } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { openTestDatabase } from '../support/database';

/**
 * Stored once, rendered on read: the decision.issued and lifecycle records the feed and the relay
 * render from a stored decision or change are the records the engine stored whole before (the
 * builders at decision or change time, through jsonb), for the rule cases and a generated corpus;
 * and none changes after it was first readable, whatever happens to the decision or the rule set later.
 */

const ROOT = join(__dirname, '../..');
const RULES_DIR = join(ROOT, 'rules');
const departments = (JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code);
const ruleSet = loadRuleSet(RULES_DIR, { knownDepartments: new Set(departments) });
const evaluator = new JsonRulesEngineEvaluator(ruleSet);
const memoranda = new Map(ruleSet.memoranda.map((m) => [m.id, m]));
const ISSUED_AT = new Date('2026-06-01T02:00:00.123Z');

/** The record as it was stored: a jsonb payload (undefined members dropped). */
const asStored = (record: FeedRecordInput) => JSON.parse(JSON.stringify(record.payload)) as unknown;

/** A decision as the lifecycle reads it back, in the state a change left it. */
function changed(decision: PlannedDecision, state: RecordState, disputed: boolean): { entries: EntryState[]; tasks: TaskState[]; parties: StoredDecisionParties } {
  const endReason: EndReason | null = state === 'active' ? null : 'objection-revoked';
  const entries = decision.listEntries.map((e) => ({
    id: e.id,
    decisionId: decision.id,
    memorandumId: e.memorandumId,
    listCode: e.listCode,
    listType: e.listType,
    subjectKind: e.subject.kind,
    subjectIdType: e.subject.idType,
    subjectId: e.subject.id,
    subjectName: e.subject.name,
    identifyingDepartment: e.identifyingDepartment,
    validFrom: e.validFrom,
    validTo: e.validTo,
    state,
    disputed,
    objectionId: disputed ? 'objection-1' : null,
    endReason,
    causeEventId: decision.causeEventId,
    causeEventSource: decision.causeEventSource,
    addressees: decision.addressees,
  }));
  const tasks = decision.measureTasks.map((t) => ({
    id: t.id,
    decisionId: decision.id,
    listEntryId: t.listEntryId,
    measureCode: t.measureCode,
    category: t.category,
    implementingDepartment: t.implementingDepartment,
    cooperatingDepartments: t.cooperatingDepartments,
    targetRole: t.targetRole,
    targetIdType: t.target.idType,
    targetId: t.target.id,
    targetName: t.target.name,
    state,
    disputed,
    endReason,
    validTo: t.validTo,
  }));
  return { entries, tasks, parties: { addressees: decision.addressees, causeEventSource: decision.causeEventSource, tasks } };
}

describe('records rendered from the stored decision or change (real PostgreSQL)', () => {
  let db: DataSource;
  let feed: FeedRepository;
  const repository = new DecisionRepository();

  beforeAll(async () => {
    db = await openTestDatabase();
    feed = new FeedRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  /** Fresh event ids, so these decisions are this test's own whatever else the database holds. */
  async function decideAll(raws: readonly unknown[]): Promise<PlannedDecision[]> {
    const decisions: PlannedDecision[] = [];
    for (const raw of raws) {
      let event: CreditEvent;
      try {
        event = parseCreditEvent({ ...(raw as object), id: randomUUID() });
      } catch {
        continue; // the generator also makes events the edge refuses; they decide nothing
      }
      decisions.push(...(await decideCreditEvent(event, ruleSet, evaluator)));
    }
    return decisions;
  }

  /** Stores the decisions as the engine does (index entries only), and returns what the engine stored whole before. */
  async function store(decisions: readonly PlannedDecision[]): Promise<{ expected: DecisionIssuedInput[]; afterSeq: string }> {
    const [{ max }] = await db.query(`SELECT coalesce(max(seq), 0)::text AS max FROM feed_record`);
    const entries = decisionIssuedEntries(decisions);
    await db.transaction((manager) => repository.saveAll(manager, decisions, entries, { at: ISSUED_AT, memoranda }));
    const expected = decisionIssuedRecords(decisions, memoranda, ISSUED_AT);
    // The index carries exactly the addressing the whole records had: same ids, departments, keys and causes, in the same order.
    expect(entries).toEqual(expected.map(({ payload: _payload, ...envelope }) => envelope));
    const [{ stored }] = await db.query(`SELECT count(*)::int AS stored FROM feed_record WHERE seq > $1 AND payload IS NOT NULL`, [max]);
    expect(stored).toBe(0);
    return { expected, afterSeq: max };
  }

  /** Every record of this test as the HTTP feed reads it, per department from the cursor before it. */
  async function readFeed(expected: readonly FeedRecordInput[], afterSeq: string): Promise<Map<string, unknown>> {
    const ids = new Set(expected.map((r) => r.recordId));
    const read = new Map<string, unknown>();
    for (const department of new Set(expected.map((r) => r.department))) {
      let cursor = afterSeq;
      for (;;) {
        const page = await feed.readAfter(department, cursor, 500);
        if (page.length === 0) break;
        for (const row of page) if (ids.has(row.recordId)) read.set(row.recordId, row.payload);
        cursor = page[page.length - 1].seq;
      }
    }
    return read;
  }

  /** Every record of this test as the relay would send it: the JSON text of its message value. */
  async function readOutbox(expected: readonly FeedRecordInput[]): Promise<Map<string, string>> {
    const ids = new Set(expected.map((r) => r.recordId));
    const [{ unpublished }] = await db.query(`SELECT count(*)::int AS unpublished FROM feed_record WHERE published_at IS NULL`);
    const rows = await feed.unpublished(db.manager, unpublished);
    return new Map(rows.filter((r) => ids.has(r.recordId)).map((r) => [r.recordId, r.payloadJson]));
  }

  async function checkSame(decisions: readonly PlannedDecision[]): Promise<number> {
    const { expected, afterSeq } = await store(decisions);
    const fromFeed = await readFeed(expected, afterSeq);
    const fromOutbox = await readOutbox(expected);
    expect(fromFeed.size).toBe(expected.length);
    expect(fromOutbox.size).toBe(expected.length);
    for (const record of expected) {
      const label = `${record.kind} ${record.recordId} for ${record.department}`;
      expect({ label, record: fromFeed.get(record.recordId) }).toEqual({ label, record: asStored(record) });
      expect({ label, record: JSON.parse(fromOutbox.get(record.recordId)!) }).toEqual({ label, record: asStored(record) });
    }
    return expected.length;
  }

  it('renders the records of every rule case as they were stored', async () => {
    const decisions = await decideAll(loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => c.event)));
    expect(decisions.length).toBeGreaterThan(10);
    expect(await checkSame(decisions)).toBeGreaterThan(20);
  });

  it('renders the records of 1,500 generated events as they were stored', async () => {
    const generator = new CreditEventGenerator({ seed: 20261210, vocabulary: vocabularyFromRules(ruleSet.memoranda) });
    const decisions = await decideAll([...generator.take(1500)]);
    expect(decisions.length).toBeGreaterThan(250);
    expect(await checkSame(decisions)).toBeGreaterThan(1000);
  });

  it("resolves every measure's terms reference to the text it is the hash of, saying what the task says and rests on", async () => {
    const decisions = await decideAll(loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => c.event)));
    const { expected, afterSeq } = await store(decisions);
    const read = await readFeed(expected, afterSeq);
    const terms = new MeasureTermsRepository(db);
    const tasks = new Map(decisions.flatMap((d) => d.measureTasks.map((t) => [t.id, { task: t, memorandum: d.memorandumId }] as const)));
    let resolved = 0;
    for (const record of read.values()) {
      for (const measure of (record as DecisionIssuedRecord).measures) {
        const canonical = await terms.canonical(measure.terms);
        expect(canonical).toBeDefined();
        expect(measureTermsRef(canonical!)).toBe(measure.terms);
        const { task, memorandum } = tasks.get(measure.taskId)!;
        expect(JSON.parse(canonical!)).toEqual({ memorandum: { id: memorandum, version: task.explanation.memorandum.version, kind: memoranda.get(memorandum)!.kind, documentNumber: memoranda.get(memorandum)!.documentNumber, title: memoranda.get(memorandum)!.title }, code: task.measureCode, category: task.category, text: task.text, legalBasis: task.legalBasis });
        resolved++;
      }
    }
    expect(resolved).toBeGreaterThan(20);
    // Stored once per distinct terms, not once per task.
    const [{ rows }] = await db.query(`SELECT count(*)::int AS rows FROM measure_terms`);
    expect(rows).toBeLessThan(new Set(decisions.flatMap((d) => d.measureTasks.map((t) => t.id))).size);
  });

  it('gives the same bytes on every read, after the decision is revoked and disputed and its memorandum renamed', async () => {
    const decisions = await decideAll(loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => c.event)));
    const { expected, afterSeq } = await store(decisions);
    const firstFeed = JSON.stringify([...(await readFeed(expected, afterSeq))]);
    const firstOutbox = JSON.stringify([...(await readOutbox(expected))]);
    const ids = decisions.map((d) => d.id);
    // What the lifecycle changes (state, dispute, end) and what a new rule set would: neither is part of an issued record.
    await db.query(`UPDATE measure_task SET state = 'revoked', disputed = true, end_reason = 'objection-revoked', ended_at = now() WHERE decision_id = ANY($1::uuid[])`, [ids]);
    await db.query(`UPDATE list_entry SET state = 'revoked', disputed = true, end_reason = 'objection-revoked', ended_at = now() WHERE decision_id = ANY($1::uuid[])`, [ids]);
    const original = memoranda.get(decisions[0].memorandumId)!;
    memoranda.set(original.id, { ...original, title: { zh: '改名', en: 'Renamed' } });
    try {
      expect(JSON.stringify([...(await readFeed(expected, afterSeq))])).toBe(firstFeed);
      expect(JSON.stringify([...(await readOutbox(expected))])).toBe(firstOutbox);
    } finally {
      memoranda.set(original.id, original);
    }
  });

  it('renders lifecycle records from their stored change as they were built, each showing the decision as that change left it', async () => {
    const generator = new CreditEventGenerator({ seed: 20261211, vocabulary: vocabularyFromRules(ruleSet.memoranda) });
    const decisions = await decideAll([...loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => c.event)), ...generator.take(360)]);
    const { afterSeq } = await store(decisions);
    const at = (minutes: number) => new Date(ISSUED_AT.getTime() + minutes * 60_000);
    /** One change over all decisions, as the lifecycle service announces it; what it used to store whole. */
    const announce = async (kind: LifecycleChange['kind'], reason: LifecycleChange['reason'], state: RecordState, disputed: boolean, when: Date) => {
      const states = decisions.map((d) => changed(d, state, disputed));
      const change: LifecycleChange = { kind, reason, causeKey: `test/${randomUUID()}`, entries: states.flatMap((s) => s.entries), tasks: states.flatMap((s) => s.tasks) };
      const parties = new Map(decisions.map((d, i) => [d.id, states[i].parties]));
      const entries = lifecycleEntries(change, parties, when);
      const expected = lifecycleRecords(change, parties, when);
      expect(entries.map(({ change: _change, ...envelope }) => envelope)).toEqual(expected.map(({ payload: _payload, ...envelope }) => envelope));
      // Stored once per decision, not once per addressee.
      expect(new Set(entries.map((e) => e.change.id)).size).toBe(new Set(decisions.map((d) => d.id)).size);
      await db.transaction((manager) => repository.saveFeedRecords(manager, entries));
      return expected;
    };
    const disputedRecords = await announce('decision.disputed', 'objection-filed', 'active', true, at(1));
    const firstRead = await readFeed(disputedRecords, afterSeq);
    const firstOutbox = await readOutbox(disputedRecords);
    // A later change of the same decisions: the earlier records still show them disputed and active.
    const revokedRecords = await announce('decision.revoked', 'objection-revoked', 'revoked', false, at(2));
    for (const [records, label] of [[disputedRecords, 'disputed'], [revokedRecords, 'revoked']] as const) {
      const fromFeed = await readFeed(records, afterSeq);
      const fromOutbox = await readOutbox(records);
      for (const record of records) {
        expect({ label, id: record.recordId, record: fromFeed.get(record.recordId) }).toEqual({ label, id: record.recordId, record: asStored(record) });
        expect({ label, id: record.recordId, record: JSON.parse(fromOutbox.get(record.recordId)!) }).toEqual({ label, id: record.recordId, record: asStored(record) });
      }
    }
    const again = await readFeed(disputedRecords, afterSeq);
    expect(JSON.stringify(disputedRecords.map((r) => again.get(r.recordId)))).toBe(JSON.stringify(disputedRecords.map((r) => firstRead.get(r.recordId))));
    const againOutbox = await readOutbox(disputedRecords);
    expect(disputedRecords.map((r) => againOutbox.get(r.recordId))).toEqual(disputedRecords.map((r) => firstOutbox.get(r.recordId)));
    expect(disputedRecords.length).toBeGreaterThan(500);
    const [{ rows }] = await db.query(`SELECT count(*)::int AS rows FROM feed_record WHERE seq > $1 AND payload IS NOT NULL`, [afterSeq]);
    expect(rows).toBe(0);
  });

  it('still serves rows stored whole before records were rendered', async () => {
    const decisions = await decideAll([loadRuleCaseFiles(RULES_DIR)[0].cases[0].event]);
    const [{ max }] = await db.query(`SELECT coalesce(max(seq), 0)::text AS max FROM feed_record`);
    const whole = decisionIssuedRecords(decisions, memoranda, ISSUED_AT);
    await db.transaction((manager) => repository.saveAll(manager, decisions, whole, { at: ISSUED_AT, memoranda }));
    // A decision from before the migration has no issue instant; its rows are read as stored, never rendered.
    await db.query(`UPDATE decision SET issued_at = NULL, memorandum = NULL WHERE id = ANY($1::uuid[])`, [decisions.map((d) => d.id)]);
    const read = await readFeed(whole, max);
    for (const record of whole) expect(read.get(record.recordId)).toEqual(asStored(record));
  });

  it('refuses a payload-less row of a kind that is stored whole', async () => {
    const [decision] = await decideAll([loadRuleCaseFiles(RULES_DIR)[0].cases[0].event]);
    await expect(
      db.query(`INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, cause_key, payload) VALUES ($1, 'market-regulation', 'decision.revoked', $2, 'x', 'x', NULL)`, [randomUUID(), decision.id]),
    ).rejects.toThrow(/ck_feed_record_payload/);
    await expect(
      db.query(`INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, cause_key, payload) VALUES ($1, 'market-regulation', 'grant.refused', $2, 'x', 'x', NULL)`, [randomUUID(), decision.id]),
    ).rejects.toThrow(/ck_feed_record_payload/);
  });
});
