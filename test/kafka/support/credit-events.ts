import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  computeResidentIdentityCheckCharacter,
  computeUsccCheckCharacter,
  CreditEvent,
  Department,
  departmentOf,
  DepartmentRegistry,
  chinaDate,
  EVENT_TYPES,
  parseCreditEvent,
} from '@app/domain';
import { decisionIssuedRecords, FeedRecordInput, refusalRecord } from '@app/decision-log';
import { decideEvent, LIFECYCLE_EVENT_TYPES } from '@app/engine';
import { JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet, Memorandum, PlannedDecision, RuleSet } from '@app/rules';
import { mulberry32 } from '@app/rules/testing';

const ROOT = resolve(__dirname, '../../..');
export const RULES_DIR = resolve(ROOT, 'rules');
export const DEPARTMENTS_FILE = resolve(ROOT, 'config/departments.json');

/** A raw CloudEvent as a department's system would build it (structured mode JSON). */
export type RawCloudEvent = {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype?: string;
  data: Record<string, unknown> & {
    subject: { kind: string; idType: string; id: string; name: string };
    relatedPersons?: { role: string; idType: string; id: string; name: string }[];
  };
};

// ---------------------------------------------------------------------------------------
// Identifiers with valid check characters

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Lizhou District, Guangyuan, Sichuan: the district the rule cases are set in. */
const DIVISION = '510802';

/** Registration authority + entity type per subject kind (GB 32100-2015). */
const USCC_HEAD: Record<string, string> = {
  enterprise: '91',
  'social-organisation': '51',
  'public-institution': '12',
};

export function makeUscc(kind: string, rng: () => number): string {
  let organisation = '';
  for (let i = 0; i < 9; i++) organisation += USCC_ALPHABET[Math.floor(rng() * USCC_ALPHABET.length)];
  const first17 = `${USCC_HEAD[kind] ?? '91'}${DIVISION}${organisation}`;
  return first17 + computeUsccCheckCharacter(first17);
}

export function makeResidentId(rng: () => number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(rng() * 50 * 365) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const sequence = String(Math.floor(rng() * 1000)).padStart(3, '0');
  const first17 = `${DIVISION}${birth}${sequence}`;
  return first17 + computeResidentIdentityCheckCharacter(first17);
}

/** The same identifier with a wrong check character. */
export function breakCheckCharacter(id: string): string {
  const alphabet = /^\d{17}[\dX]$/.test(id) ? '10X98765432' : USCC_ALPHABET;
  const last = id[id.length - 1];
  const other = alphabet[(alphabet.indexOf(last) + 1) % alphabet.length];
  return id.slice(0, -1) + other;
}

/** Small deterministic PRNG: a failing run can be replayed with its seed. */
export const seededRandom = mulberry32;

// ---------------------------------------------------------------------------------------
// Events

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['建国', '秀英', '志强', '丽', '伟', '芳', '军', '敏', '磊', '静'];
const TRADES = ['商贸', '建材', '餐饮', '物流', '科技', '农业', '建筑', '食品', '医药', '文化'];

let catalogue: { registry: DepartmentRegistry; templates: RawCloudEvent[] } | undefined;

/**
 * Every example event of the memoranda's rule cases (rules/*.cases.json) is a template:
 * judgment debtors with their legal representatives, serious and general tax penalties,
 * A-grade ratings, abnormal-operation listings, honours, and the events that lead to no
 * decision at all (removals, objections, minor penalties, other departments' conduct).
 */
function loadCatalogue(): { registry: DepartmentRegistry; templates: RawCloudEvent[] } {
  if (!catalogue) {
    const parsed = JSON.parse(readFileSync(DEPARTMENTS_FILE, 'utf8')) as { departments: Department[] };
    const registry = new DepartmentRegistry(parsed.departments);
    const templates = loadRuleCaseFiles(RULES_DIR).flatMap((file) => file.cases.map((c) => c.event as RawCloudEvent));
    catalogue = { registry, templates };
  }
  return catalogue;
}

export function departmentRegistry(): DepartmentRegistry {
  return loadCatalogue().registry;
}

/** The registered department publishing as `source`, or an error: a generated event must be valid. */
export function assertPublishable(event: RawCloudEvent): CreditEvent {
  const registry = departmentRegistry();
  const parsed = parseCreditEvent(structuredClone(event));
  registry.authorisePublication(registry.get(departmentOf(parsed.source) ?? ''), parsed);
  return parsed;
}

/**
 * Makes valid, varied credit events: each one is a rule-case template with fresh subject
 * and person identifiers (valid check characters), fresh names and document numbers, and a
 * unique id. Deterministic for a given seed.
 */
export class CreditEventGenerator {
  private readonly rng: () => number;
  private readonly templates: RawCloudEvent[];
  private sequence = 0;

  constructor(
    private readonly runId: string,
    seed = 20261120,
    filter: (template: RawCloudEvent) => boolean = () => true,
  ) {
    this.rng = seededRandom(seed);
    this.templates = loadCatalogue().templates.filter(filter);
    if (this.templates.length === 0) throw new Error('no event template matches the filter');
  }

  next(): RawCloudEvent {
    const template = this.templates[Math.floor(this.rng() * this.templates.length)];
    return this.fromTemplate(template);
  }

  /** The next event made from a template that satisfies `predicate`. */
  nextWhere(predicate: (template: RawCloudEvent) => boolean): RawCloudEvent {
    const candidates = this.templates.filter(predicate);
    if (candidates.length === 0) throw new Error('no event template matches');
    return this.fromTemplate(candidates[Math.floor(this.rng() * candidates.length)]);
  }

  batch(n: number): RawCloudEvent[] {
    return Array.from({ length: n }, () => this.next());
  }

  fromTemplate(template: RawCloudEvent): RawCloudEvent {
    const n = ++this.sequence;
    const event = structuredClone(template);
    const subject = event.data.subject;
    // An association sanctions only the members its registry entry lists: such a subject keeps its identifier.
    const listedMember = event.type === EVENT_TYPES.associationSanction && departmentRegistry().get(departmentOf(event.source) ?? '').association?.membership.rule === 'listed';
    if (!listedMember) subject.id = subject.idType === 'RESIDENT_ID' ? makeResidentId(this.rng) : makeUscc(subject.kind, this.rng);
    subject.name = subject.kind === 'individual' ? this.personName() : `广元市利州区${this.pick(TRADES)}${n}号有限公司`;
    for (const person of event.data.relatedPersons ?? []) {
      person.id = makeResidentId(this.rng);
      person.name = this.personName();
    }
    event.data.documentNumber = `${String(event.data.documentNumber).slice(0, 80)}-${this.runId.slice(-12)}-${n}`;
    event.id = `${this.runId}-${String(n).padStart(6, '0')}`;
    event.subject = subject.id;
    assertPublishable(event);
    return event;
  }

  private personName(): string {
    return this.pick(SURNAMES) + this.pick(GIVEN);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)];
  }
}

// ---------------------------------------------------------------------------------------
// Expected outcome, from the reference evaluator

export interface ExpectedOutcome {
  decisions: PlannedDecision[];
  decisionIds: string[];
  measureTaskIds: string[];
  listEntryIds: string[];
  /** Feed record id → department it is addressed to. */
  feedRecords: Map<string, string>;
}

/**
 * What the engine must decide for an event: the rule set from rules/, the reference
 * json-rules-engine evaluator, and the same planner. Ids are derived from the cause, so
 * they are comparable with what the engine stored and published.
 */
export class ReferenceDecider {
  readonly ruleSet: RuleSet;
  private readonly evaluator: JsonRulesEngineEvaluator;
  private readonly memoranda: ReadonlyMap<string, Memorandum>;

  constructor() {
    const departments = new Set(departmentRegistry().all().map((d) => d.code));
    this.ruleSet = loadRuleSet(RULES_DIR, { knownDepartments: departments });
    this.evaluator = new JsonRulesEngineEvaluator(this.ruleSet);
    this.memoranda = new Map(this.ruleSet.memoranda.map((m) => [m.id, m]));
  }

  async decide(event: RawCloudEvent): Promise<ExpectedOutcome> {
    const parsed = parseCreditEvent(structuredClone(event));
    // The engine's own decision step on today's China date, as the engine decides (the limitation counts to today).
    const { decisions, refusals } = await decideEvent(parsed, { ruleSet: this.ruleSet, evaluator: this.evaluator }, chinaDate(new Date()));
    const records: FeedRecordInput[] = decisionIssuedRecords(decisions, this.memoranda, new Date());
    // A memorandum that finds the conduct past its limitation tells its departments (sanction.refused), as the engine does.
    for (const refusal of refusals) {
      for (const department of refusal.departments) {
        const detail = { memorandum: refusal.memorandumId, lastUsableOn: refusal.limitation.lastUsableOn };
        records.push(refusalRecord({ kind: 'sanction.refused', code: refusal.code, reason: refusal.reason, detail }, department, parsed.data.subject.id, `${parsed.source}/${parsed.id}`, new Date()));
      }
    }
    // Generated subjects are fresh, so a removal, repair or objection finds nothing in force: its sender is told so.
    if (LIFECYCLE_EVENT_TYPES.has(parsed.type)) {
      const sender = departmentOf(parsed.source)!;
      records.push(refusalRecord({ kind: 'change.no-effect', code: 'LIFECYCLE.NOTHING_ACTIVE', reason: '' }, sender, parsed.data.subject.id, `${parsed.source}/${parsed.id}`, new Date()));
    }
    return {
      decisions,
      decisionIds: decisions.map((d) => d.id),
      measureTaskIds: decisions.flatMap((d) => d.measureTasks.map((t) => t.id)),
      listEntryIds: decisions.flatMap((d) => d.listEntries.map((e) => e.id)),
      feedRecords: new Map(records.map((r) => [r.recordId, r.department])),
    };
  }

  /** The union over many events (each id is expected exactly once). */
  async decideAll(events: readonly RawCloudEvent[]): Promise<ExpectedOutcome & { perEvent: Map<string, ExpectedOutcome> }> {
    const perEvent = new Map<string, ExpectedOutcome>();
    const all: ExpectedOutcome = { decisions: [], decisionIds: [], measureTaskIds: [], listEntryIds: [], feedRecords: new Map() };
    for (const event of events) {
      const outcome = await this.decide(event);
      perEvent.set(event.id, outcome);
      all.decisions.push(...outcome.decisions);
      all.decisionIds.push(...outcome.decisionIds);
      all.measureTaskIds.push(...outcome.measureTaskIds);
      all.listEntryIds.push(...outcome.listEntryIds);
      for (const [id, department] of outcome.feedRecords) all.feedRecords.set(id, department);
    }
    return { ...all, perEvent };
  }
}

/** Compare an observed id → occurrences map with the expected ids: what is missing, extra, or doubled. */
export function compareIds(expected: Iterable<string>, observed: ReadonlyMap<string, number>): { missing: string[]; unexpected: string[]; duplicated: string[] } {
  const want = new Set(expected);
  return {
    missing: [...want].filter((id) => !observed.has(id)),
    unexpected: [...observed.keys()].filter((id) => !want.has(id)),
    duplicated: [...observed.entries()].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`),
  };
}
