import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseCreditEvent } from '@app/domain';
import { decideCreditEvent, JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet } from '@app/rules';
import { decisionIssuedRecords } from '../decision-issued.record';
import { measureTermsOf } from '../measure-terms';
import type { EntryState, TaskState } from '../lifecycle-state';
import { lifecycleRecords } from '../lifecycle.record';
import { DECISION_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { refusalRecord } from '../refusal.record';
import { DECISION_RECORD_SCHEMA } from './decision-issued.schema';
import { LIFECYCLE_RECORD_SCHEMA } from './lifecycle.schema';
import { REFUSAL_RECORD_SCHEMA } from './refusal.schema';

type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../../../..');
const RULES_DIR = join(ROOT, 'rules');
const departments = (JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code);
const ruleCaseEvents = loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => ({ file: file.file, note: c.note, event: c.event as Json })));

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

describe('decision record schema', () => {
  it('describes every record the engine plans for the rule cases', async () => {
    const ruleSet = loadRuleSet(RULES_DIR, { knownDepartments: new Set(departments) });
    const evaluator = new JsonRulesEngineEvaluator(ruleSet);
    const memoranda = new Map(ruleSet.memoranda.map((m) => [m.id, m]));
    const validate = newAjv().compile(DECISION_RECORD_SCHEMA);
    const seen = { records: 0, listEntries: 0, measures: 0, otherMeasures: 0 };
    for (const { event } of ruleCaseEvents) {
      const decisions = await decideCreditEvent(parseCreditEvent(event), ruleSet, evaluator);
      for (const record of decisionIssuedRecords(decisions, memoranda, new Date('2026-02-01T08:00:00Z'))) {
        // Through JSON, as the record is stored and published.
        const payload = JSON.parse(JSON.stringify(record.payload)) as typeof record.payload;
        const valid = validate(payload);
        if (!valid) throw new Error(`record for ${record.department} (${event.id}): ${JSON.stringify(validate.errors)}`);
        seen.records++;
        seen.listEntries += payload.listEntries.length;
        seen.measures += payload.measures.length;
        seen.otherMeasures += Object.keys(payload.otherMeasures).length;
        // A department receives exactly the measures it implements or cooperates in, and the others as counts.
        const decision = decisions.find((d) => d.id === record.decisionId)!;
        for (const m of payload.measures) expect([m.implementingDepartment, ...m.cooperatingDepartments]).toContain(record.department);
        const others = decision.measureTasks.filter((t) => t.implementingDepartment !== record.department && !t.cooperatingDepartments.includes(record.department));
        const counts: Record<string, number> = {};
        for (const t of others) counts[t.measureCode] = (counts[t.measureCode] ?? 0) + 1;
        expect(payload.otherMeasures).toEqual(counts);
        expect(payload.measures.length + others.length).toBe(decision.measureTasks.length);
        // Each measure's terms are what its task says and rests on, by reference; the facts are its rules'.
        for (const m of payload.measures) {
          const task = decision.measureTasks.find((t) => t.id === m.taskId)!;
          expect(m.terms).toBe(measureTermsOf(task, { id: decision.memorandumId, version: decision.memorandumVersion, ...memoranda.get(decision.memorandumId) }).ref);
          expect(payload.facts).toMatchObject(task.explanation.facts);
          expect(m.rule).toBe(task.explanation.rule.name);
        }
        if (payload.measures.length === 0) expect(payload.facts).toEqual({});
      }
    }
    expect(seen.records).toBeGreaterThan(20);
    expect(seen.listEntries).toBeGreaterThan(0);
    expect(seen.measures).toBeGreaterThan(0);
    expect(seen.otherMeasures).toBeGreaterThan(0);
  });

  it('refuses a record with a field it does not describe', () => {
    const validate = newAjv().compile(DECISION_RECORD_SCHEMA);
    const record = {
      schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
      recordId: '00000000-0000-8000-8000-000000000000',
      kind: 'decision.issued',
      department: 'tax',
      decisionId: '00000000-0000-8000-8000-000000000001',
      issuedAt: '2026-02-01T08:00:00.000Z',
      memorandum: { id: 'm', version: '1' },
      ruleSetRevision: 'r',
      ruleSetRelease: null,
      causeEvent: { id: 'e', source: '/departments/court' },
      listEntries: [],
      measures: [],
      facts: {},
      otherMeasures: {},
    };
    expect(validate(record)).toBe(true);
    expect(validate({ ...record, surprise: 1 })).toBe(false);
    expect(validate({ ...record, memorandum: { ...record.memorandum, surprise: 1 } })).toBe(false);
    expect(validate({ ...record, schemaVersion: DECISION_RECORD_SCHEMA_VERSION - 1 })).toBe(false);
    expect(validate({ ...record, ruleSetRelease: 3 })).toBe(true);
    expect(validate({ ...record, ruleSetRelease: 0 })).toBe(false);
    const { ruleSetRelease: _release, ...withoutRelease } = record;
    expect(validate(withoutRelease)).toBe(false);
    expect(validate({ ...record, otherMeasures: { 'JD-01': 2 } })).toBe(true);
    expect(validate({ ...record, otherMeasures: { 'JD-01': 0 } })).toBe(false);
    expect(validate({ ...record, otherMeasures: { 'not a code': 1 } })).toBe(false);
  });

  it('uses the enums of the memorandum schema for list types and measure categories', () => {
    const memorandumSchema = JSON.parse(readFileSync(join(RULES_DIR, 'memorandum.schema.json'), 'utf8')) as Json;
    const record = DECISION_RECORD_SCHEMA as Json;
    expect(record.properties.listEntries.items.properties.list.properties.type.enum).toEqual(memorandumSchema.properties.list.properties.type.enum);
    expect(record.properties.measures.items.properties.category.enum).toEqual(memorandumSchema.$defs.measure.properties.category.enum);
    expect(record.properties.memorandum.properties.kind.enum).toEqual(memorandumSchema.properties.kind.enum);
  });
});

describe('lifecycle and refusal record schemas', () => {
  const entry: EntryState = {
    id: '00000000-0000-8000-8000-0000000000e1',
    decisionId: '00000000-0000-8000-8000-0000000000d1',
    memorandumId: 'judgment-debtors',
    listCode: 'judgment-debtor',
    listType: 'black',
    subjectKind: 'enterprise',
    subjectIdType: 'USCC',
    subjectId: '91510802MA62XK0U3U',
    subjectName: '广元市利州区某某建材有限公司',
    identifyingDepartment: 'court',
    validFrom: '2026-01-05',
    validTo: '2028-01-05',
    state: 'repaired',
    disputed: false,
    objectionId: null,
    endReason: 'repaired',
    causeEventId: 'e1',
    causeEventSource: '/departments/court',
    addressees: ['court', 'finance', 'transport'],
  };
  const task = (id: string, code: string, implementingDepartment: string, targetRole: TaskState['targetRole']): TaskState => ({
    id,
    decisionId: entry.decisionId,
    listEntryId: entry.id,
    measureCode: code,
    category: 'restrict',
    implementingDepartment,
    cooperatingDepartments: [],
    targetRole,
    targetIdType: targetRole === 'subject' ? 'USCC' : 'RESIDENT_ID',
    targetId: targetRole === 'subject' ? entry.subjectId : '510802197804150310',
    targetName: targetRole === 'subject' ? entry.subjectName : '王建国',
    state: 'repaired',
    disputed: false,
    endReason: 'repaired',
    validTo: entry.validTo,
  });

  it('describes the lifecycle records every addressee receives, with the same summary of others as decision.issued', () => {
    const validate = newAjv().compile(LIFECYCLE_RECORD_SCHEMA);
    const tasks = [task('00000000-0000-8000-8000-0000000000a1', 'JD-01', 'finance', 'subject'), task('00000000-0000-8000-8000-0000000000a2', 'JD-02', 'transport', 'subject'), task('00000000-0000-8000-8000-0000000000a3', 'JD-02', 'transport', 'legal-representative')];
    const parties = new Map([[entry.decisionId, { addressees: entry.addressees, causeEventSource: entry.causeEventSource, tasks }]]);
    const records = lifecycleRecords({ kind: 'decision.revoked', reason: 'repaired', causeKey: 'repair/1', entries: [entry], tasks }, parties, new Date('2026-06-01T02:00:00Z'));
    expect(records.map((r) => r.department)).toEqual(['court', 'finance', 'transport']);
    for (const record of records) {
      const payload = JSON.parse(JSON.stringify(record.payload)) as typeof record.payload;
      if (!validate(payload)) throw new Error(`${record.department}: ${JSON.stringify(validate.errors)}`);
      expect(payload.measures.length + Object.values(payload.otherMeasures).reduce((n, count) => n + count, 0)).toBe(tasks.length);
    }
    const finance = records.find((r) => r.department === 'finance')!.payload;
    expect(finance.measures.map((m) => m.code)).toEqual(['JD-01']);
    expect(finance.otherMeasures).toEqual({ 'JD-02': 2 });
    expect(validate({ ...records[0].payload, surprise: 1 })).toBe(false);
    expect(validate({ ...finance, otherMeasures: [{ code: 'JD-02', implementingDepartment: 'transport', targets: 2 }] })).toBe(false);
  });

  it('describes every kind of refusal', () => {
    const validate = newAjv().compile(REFUSAL_RECORD_SCHEMA);
    const at = new Date('2026-06-01T02:00:00Z');
    const records = [
      refusalRecord({ kind: 'repair.refused', code: 'REPAIR.TOO_EARLY', reason: 'the minimum period before credit repair has not been served', detail: { list: 'judgment-debtor', entries: [entry.id], tasks: [], earliestRepairOn: '2027-06-01' } }, 'court', entry.subjectId, '/departments/court/r1', at),
      refusalRecord({ kind: 'removal.refused', code: 'LIFECYCLE.NOT_IDENTIFYING_DEPARTMENT', reason: 'published by another department', detail: { entries: [], tasks: [entry.id] } }, 'tax', entry.subjectId, '/departments/tax/x1', at),
      refusalRecord({ kind: 'grant.refused', code: 'GRANT.WHILE_BLACKLISTED', reason: 'no red-list entry is granted while the subject has an active blacklist entry', detail: { list: 'a-grade-taxpayer', memorandum: 'a-grade-taxpayers' } }, 'tax', entry.subjectId, '/departments/tax/g1', at),
      refusalRecord({ kind: 'sanction.refused', code: 'EVENT.CONDUCT_PAST_LIMIT', reason: 'older than five years', detail: { memorandum: 'judgment-debtors', lastUsableOn: '2025-05-31' } }, 'court', entry.subjectId, '/departments/court/s1', at),
      refusalRecord({ kind: 'change.no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE', reason: 'no active entry', detail: { list: 'judgment-debtor' } }, 'court', entry.subjectId, '/departments/court/n1', at),
    ];
    for (const record of records) if (!validate(JSON.parse(JSON.stringify(record.payload)))) throw new Error(`${record.kind}: ${JSON.stringify(validate.errors)}`);
    expect(validate({ ...records[0].payload, surprise: 1 })).toBe(false);
    expect(validate({ ...records[0].payload, code: 'NOT.A_CODE' })).toBe(false);
  });
});
