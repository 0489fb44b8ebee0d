import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decisionIssuedPayloadV4, decisionIssuedRecords, IssuableDecisionV4, MemorandumHeading } from '@app/decision-log';
import { chinaDate, CreditEvent, Department, parseCreditEvent } from '@app/domain';
import { buildCreditFacts, CompiledRuleEvaluator, loadRuleSet, planDecisions, PlannedDecision } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { CORPUS_WEIGHTS } from './support/corpus';
import { fmt, formatGoals, Goal, ROOT, round, table } from './support/child-app';
import { phaseProgress } from './support/progress-bar';

export interface RecordSizeOptions {
  events: number;
  seed: number;
  onProgress?: (line: string) => void;
}

interface FormatFigures {
  /** JSON bytes (UTF-8) of every decision.issued record, as a topic message value or a feed item carries it. */
  bytes: number;
  bytesPerRecord: number;
  bytesPerEvent: number;
  /** Bytes per record of each top-level member (its JSON value), largest first. */
  members: Record<string, number>;
}

export interface RecordSizeResult {
  benchmark: 'record-size';
  generatedAt: string;
  options: Omit<RecordSizeOptions, 'onProgress'>;
  events: number;
  decidedEvents: number;
  records: number;
  recordsPerEvent: number;
  /** Version 4: measures inline (text, legal basis, explanation per target), other signatories' measures described. */
  inline: FormatFigures;
  /** Version 5 (what ships): measure terms by reference, facts once, other measures as counts. */
  byReference: FormatFigures;
  /** byReference ÷ inline. */
  ratio: number;
  /** Distinct measure terms the references point to: what a subscriber resolves, once each. */
  distinctTerms: number;
  goals: Goal[];
  seconds: number;
}

/**
 * The decision.issued records of the pipeline bench's corpus (same weights and seed), rendered
 * both ways from the same decisions in one run, without Kafka or PostgreSQL: what measures by
 * reference save per record and per event, and where the bytes that remain are.
 */
export function benchRecordSize(options: RecordSizeOptions): RecordSizeResult {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const departments = (JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: Department[] }).departments;
  const ruleSet = loadRuleSet(join(ROOT, 'rules'), { knownDepartments: new Set(departments.map((d) => d.code)) });
  const memoranda = new Map<string, MemorandumHeading>(ruleSet.memoranda.map((m) => [m.id, m]));
  const evaluator = new CompiledRuleEvaluator(ruleSet);
  const generator = new CreditEventGenerator({ seed: options.seed, vocabulary: vocabularyFromRules(ruleSet.memoranda), eventTypeWeights: CORPUS_WEIGHTS, strayPublisherRate: 0.03 });
  const inline = newFigures();
  const byReference = newFigures();
  const terms = new Set<string>();
  let records = 0;
  let decidedEvents = 0;
  const bar = phaseProgress('record-size: events rendered both ways', options.events, progress);
  for (let i = 0; i < options.events; i++) {
    let event: CreditEvent;
    try {
      event = parseCreditEvent(generator.next());
    } catch {
      continue; // refused at the edge: no records
    }
    const facts = buildCreditFacts(event, ruleSet);
    // Synchronous evaluation is the compiled evaluator's (evaluate() only wraps it in a promise).
    const decisions = planDecisions(event, facts, evaluator.evaluateSync(facts), { ruleSetRevision: ruleSet.revision, today: chinaDate(new Date(event.time)) });
    if (decisions.length > 0) decidedEvents++;
    const at = new Date(event.time);
    for (const record of decisionIssuedRecords(decisions, memoranda, at)) {
      records++;
      add(byReference, record.payload as unknown as Record<string, unknown>, JSON.stringify(record.payload));
      for (const m of record.payload.measures) terms.add(m.terms);
    }
    for (const d of decisions) for (const department of d.addressees) {
      const text = decisionIssuedPayloadV4(asStoredV4(d), memoranda.get(d.memorandumId), at, department);
      add(inline, JSON.parse(text) as Record<string, unknown>, text);
    }
    if ((i + 1) % 100 === 0 || i + 1 === options.events) bar.update(i + 1, `${fmt(records)} records`);
  }
  bar.stop();
  const finish = (f: { bytes: number; members: Record<string, number> }): FormatFigures => ({
    bytes: f.bytes,
    bytesPerRecord: round(f.bytes / Math.max(1, records), 0),
    bytesPerEvent: round(f.bytes / Math.max(1, options.events), 0),
    members: Object.fromEntries(Object.entries(f.members).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / Math.max(1, records), 0)])),
  });
  const result: RecordSizeResult = {
    benchmark: 'record-size',
    generatedAt: new Date().toISOString(),
    options: { events: options.events, seed: options.seed },
    events: options.events,
    decidedEvents,
    records,
    recordsPerEvent: round(records / Math.max(1, options.events), 2),
    inline: finish(inline),
    byReference: finish(byReference),
    ratio: round(byReference.bytes / Math.max(1, inline.bytes), 3),
    distinctTerms: terms.size,
    goals: [],
    seconds: round((Date.now() - started) / 1000, 1),
  };
  result.goals = [
    { name: 'bytes per department record', target: '≤ 1,200 B', measured: `${fmt(result.byReference.bytesPerRecord)} B (inline: ${fmt(result.inline.bytesPerRecord)} B)`, met: result.byReference.bytesPerRecord <= 1200 },
    { name: 'bytes of department records per event', target: '≤ 6,000 B', measured: `${fmt(result.byReference.bytesPerEvent)} B (inline: ${fmt(result.inline.bytesPerEvent)} B)`, met: result.byReference.bytesPerEvent <= 6000 },
  ];
  return result;
}

function newFigures(): { bytes: number; members: Record<string, number> } {
  return { bytes: 0, members: {} };
}

function add(figures: { bytes: number; members: Record<string, number> }, payload: Record<string, unknown>, text: string): void {
  figures.bytes += Buffer.byteLength(text);
  for (const [member, value] of Object.entries(payload)) figures.members[member] = (figures.members[member] ?? 0) + Buffer.byteLength(JSON.stringify(value) ?? '');
}

/** A planned decision as version 4 read it back (text, basis and facts per task). */
function asStoredV4(decision: PlannedDecision): IssuableDecisionV4 {
  return { ...decision, measureTasks: decision.measureTasks.map((t) => ({ ...t, explanation: { rule: { name: t.explanation.rule.name }, facts: t.explanation.facts } })) };
}

export function formatRecordSizeTable(result: RecordSizeResult): string {
  const row = (name: string, f: FormatFigures) => [name, fmt(f.bytesPerRecord), fmt(f.bytesPerEvent), `${fmt(round(f.bytes / 1e6, 1))} MB`];
  const members = (f: FormatFigures) => Object.entries(f.members).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  return [
    `record-size: ${fmt(result.events)} events (seed ${result.options.seed}), ${fmt(result.decidedEvents)} decided, ${fmt(result.records)} decision.issued records (${fmt(result.recordsPerEvent)} per event), ${fmt(result.distinctTerms)} distinct measure terms`,
    table(['format', 'B / record', 'B / event', 'all records'], [row('inline (v4)', result.inline), row('by reference (v5)', result.byReference)]),
    `by reference ÷ inline: ${fmt(result.ratio)}`,
    `bytes per record by member, v5: ${members(result.byReference)}`,
    `bytes per record by member, v4: ${members(result.inline)}`,
    '',
    formatGoals(result.goals),
  ].join('\n');
}
