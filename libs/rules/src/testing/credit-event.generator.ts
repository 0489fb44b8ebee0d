import {
  ASSOCIATION_SANCTIONS,
  AssociationSanction,
  computeResidentIdentityCheckCharacter,
  computeUsccCheckCharacter,
  CreditEvent,
  EVENT_TYPES,
  EventType,
  JUDGMENT_DEBTOR_LIST,
  RELATED_PERSON_ROLES,
  SubjectKind,
} from '@app/domain';
import { Memorandum, MeasureDefinition, RuleDefinition } from '../loader/memorandum';
import { memorandumAsWritten } from '../loader/rule-set-loader';

/**
 * Seeded test data for differential tests and benchmarks: credit events that pass
 * `parseCreditEvent`, and rule-set variants that pass `buildRuleSet`. Everything is a
 * pure function of the seed, so a failing case can be replayed from its seed and index.
 */

// ---------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny 32-bit PRNG, good enough for test data and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Prng {
  private readonly random: () => number;

  constructor(readonly seed: number) {
    this.random = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.random();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.random() * total;
    for (const [item, weight] of entries) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return entries[entries.length - 1][0];
  }

  /** A derived generator, so independent streams do not shift each other. */
  fork(salt: number): Prng {
    return new Prng((Math.imul(this.seed ^ 0x9e3779b9, 0x85ebca6b) + salt * 0xc2b2ae35) >>> 0);
  }
}

// ---------------------------------------------------------------------------------------
// Vocabulary: the codes events are drawn from.

/** What a department may publish (mirrors config/departments.json). */
export interface DepartmentPublishing {
  code: string;
  eventTypes: readonly string[];
  lists: readonly string[];
  /** An association's industry, sanctions and member list (none: members are declared in each sanction). */
  association?: { industry: string; sanctions: readonly AssociationSanction[]; members?: readonly string[] };
}

const ALL = Object.values(EVENT_TYPES);
const LIST_EVENTS = [EVENT_TYPES.listEntryAdded, EVENT_TYPES.listEntryRemoved, EVENT_TYPES.repairApproved, EVENT_TYPES.objectionFiled, EVENT_TYPES.objectionResolved];

/** The development registry's publishers, in its order (a copy of config/departments.json, for self-contained tests). */
export const DEFAULT_DEPARTMENTS: readonly DepartmentPublishing[] = [
  { code: 'court', eventTypes: [EVENT_TYPES.judgmentDebtorListed, ...LIST_EVENTS], lists: ['judgment-debtor'] },
  {
    code: 'tax',
    eventTypes: [EVENT_TYPES.penaltyImposed, EVENT_TYPES.ratingAssigned, EVENT_TYPES.commitmentMade, EVENT_TYPES.commitmentBreached, ...LIST_EVENTS],
    lists: ['major-tax-violation', 'a-grade-taxpayer'],
  },
  {
    code: 'market-regulation',
    eventTypes: [EVENT_TYPES.penaltyImposed, EVENT_TYPES.commitmentMade, EVENT_TYPES.commitmentBreached, ...LIST_EVENTS],
    lists: ['abnormal-operation', 'serious-illegal-dishonest'],
  },
  { code: 'hr-social-security', eventTypes: [EVENT_TYPES.penaltyImposed, ...LIST_EVENTS], lists: ['wage-arrears'] },
  { code: 'environment', eventTypes: [EVENT_TYPES.penaltyImposed, ...LIST_EVENTS], lists: ['environmental-dishonesty'] },
  { code: 'credit-office', eventTypes: [EVENT_TYPES.honourGranted, ...LIST_EVENTS], lists: ['honesty-model'] },
  { code: 'development-reform', eventTypes: [EVENT_TYPES.penaltyImposed, EVENT_TYPES.commitmentMade, EVENT_TYPES.commitmentBreached], lists: [] },
  { code: 'finance', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'natural-resources', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'public-security', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'transport', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'housing', eventTypes: [EVENT_TYPES.penaltyImposed, EVENT_TYPES.commitmentMade, EVENT_TYPES.commitmentBreached], lists: [] },
  { code: 'commerce', eventTypes: [], lists: [] },
  { code: 'civilisation-office', eventTypes: [], lists: [] },
  { code: 'organisation', eventTypes: [], lists: [] },
  { code: 'education', eventTypes: [], lists: [] },
  { code: 'emergency-management', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'civil-affairs', eventTypes: [EVENT_TYPES.penaltyImposed], lists: [] },
  { code: 'publicity', eventTypes: [EVENT_TYPES.honourGranted], lists: [] },
  { code: 'financial-regulation', eventTypes: [], lists: [] },
  {
    code: 'construction-association',
    eventTypes: [EVENT_TYPES.associationSanction, EVENT_TYPES.associationSanctionWithdrawn],
    lists: [],
    association: { industry: 'construction', sanctions: ASSOCIATION_SANCTIONS, members: ['91510802MA6C0NJ10W', '91510802MA6C0NJ20X', '91510802MA6C0NJ30Y'] },
  },
  { code: 'food-association', eventTypes: [EVENT_TYPES.associationSanction, EVENT_TYPES.associationSanctionWithdrawn], lists: [], association: { industry: 'food', sanctions: ASSOCIATION_SANCTIONS } },
  {
    code: 'tourism-association',
    eventTypes: [EVENT_TYPES.associationSanction, EVENT_TYPES.associationSanctionWithdrawn],
    lists: [],
    association: { industry: 'tourism', sanctions: ['warning', 'circulated-criticism'], members: ['91510802MA6C0TR10H'] },
  },
];

/** Department codes no registry knows: the engine must still behave (and the rules not match). */
const UNKNOWN_DEPARTMENTS = ['weather-bureau', 'port-authority'];

export interface CreditEventVocabulary {
  departments: readonly DepartmentPublishing[];
  listCodes: readonly string[];
  reasons: readonly string[];
  penaltyTypes: readonly string[];
  ratingSchemes: readonly string[];
  grades: readonly string[];
  honourCodes: readonly string[];
  commitmentTypes: readonly string[];
  industries: readonly string[];
}

const BASE_VOCABULARY: CreditEventVocabulary = {
  departments: DEFAULT_DEPARTMENTS,
  listCodes: [JUDGMENT_DEBTOR_LIST, 'unknown-list', 'local-watch-list'],
  reasons: ['late-filing', 'unlicensed-operation', 'false-advertising', 'safety-violation', 'pollution-discharge', 'contract-fraud', 'wage-arrears', 'tax-evasion'],
  penaltyTypes: ['fine', 'warning', 'confiscation', 'licence-suspension', 'licence-revocation', 'ordered-closure', 'detention'],
  ratingSchemes: ['tax-credit', 'customs-credit', 'construction-credit'],
  grades: ['A', 'B', 'C', 'D', 'M', 'A+'],
  honourCodes: ['honesty-model', 'model-worker', 'green-enterprise'],
  commitmentTypes: ['tax-compliance', 'product-quality', 'wage-payment', 'environmental-compliance'],
  industries: ['construction', 'food', 'tourism', 'logistics'],
};

const VOCABULARY_FACTS: Record<string, keyof CreditEventVocabulary> = {
  listCode: 'listCodes',
  reason: 'reasons',
  penaltyType: 'penaltyTypes',
  ratingScheme: 'ratingSchemes',
  grade: 'grades',
  honourCode: 'honourCodes',
  commitmentType: 'commitmentTypes',
  industry: 'industries',
};

/** Every code the rules test for, plus realistic codes they do not, so events both match and miss. */
export function vocabularyFromRules(memoranda: readonly Memorandum[], departments: readonly DepartmentPublishing[] = DEFAULT_DEPARTMENTS): CreditEventVocabulary {
  const found = new Map<keyof CreditEventVocabulary, Set<string>>();
  const add = (key: keyof CreditEventVocabulary, value: unknown) => {
    // Only values an event can carry: kebab-case codes, grades of 1 to 4 characters.
    if (typeof value !== 'string' || !(key === 'grades' ? value.length >= 1 && value.length <= 4 : /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value))) return;
    if (!found.has(key)) found.set(key, new Set());
    found.get(key)!.add(value);
  };
  const ruleDepartments = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const condition = node as Record<string, unknown>;
    for (const key of ['all', 'any', 'not']) if (key in condition) walk(condition[key]);
    if (typeof condition.fact !== 'string') return;
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    if (condition.fact === 'sourceDepartment') values.forEach((v) => typeof v === 'string' && ruleDepartments.add(v));
    const key = VOCABULARY_FACTS[condition.fact];
    if (key) values.forEach((v) => add(key, v));
  };
  for (const memorandum of memoranda) {
    add('listCodes', memorandum.list.code);
    memorandum.rules.forEach((rule) => walk(rule.conditions));
  }
  const merged = (key: keyof CreditEventVocabulary) => [...new Set([...(BASE_VOCABULARY[key] as readonly string[]), ...(found.get(key) ?? [])])].sort();
  // Departments named by rules but absent from the registry publish penalties and list entries.
  const known = new Set(departments.map((d) => d.code));
  const extra = [...ruleDepartments].filter((code) => !known.has(code)).sort();
  // Each memorandum's list is published by its identifying department.
  const withLists = [...departments, ...extra.map((code) => ({ code, eventTypes: [EVENT_TYPES.penaltyImposed, ...LIST_EVENTS], lists: [] as string[] }))].map((d) => {
    const lists = memoranda.filter((m) => m.list.identifyingDepartment === d.code && !d.lists.includes(m.list.code)).map((m) => m.list.code);
    return lists.length > 0 ? { ...d, lists: [...d.lists, ...lists] } : d;
  });
  return {
    departments: withLists,
    listCodes: merged('listCodes'),
    reasons: merged('reasons'),
    penaltyTypes: merged('penaltyTypes'),
    ratingSchemes: merged('ratingSchemes'),
    grades: merged('grades'),
    honourCodes: merged('honourCodes'),
    commitmentTypes: merged('commitmentTypes'),
    industries: merged('industries'),
  };
}

// ---------------------------------------------------------------------------------------
// Events

export interface CreditEventGeneratorOptions {
  seed: number;
  vocabulary?: CreditEventVocabulary;
  /** Relative frequency of each event type; the default resembles a department feed. */
  eventTypeWeights?: Partial<Record<EventType, number>>;
  /** Probability that the publisher is not one allowed to publish the event (or is unknown). Default 0.1. */
  strayPublisherRate?: number;
}

const DEFAULT_WEIGHTS: Record<EventType, number> = {
  [EVENT_TYPES.penaltyImposed]: 40,
  [EVENT_TYPES.listEntryAdded]: 20,
  [EVENT_TYPES.judgmentDebtorListed]: 8,
  [EVENT_TYPES.ratingAssigned]: 8,
  [EVENT_TYPES.honourGranted]: 4,
  [EVENT_TYPES.commitmentMade]: 5,
  [EVENT_TYPES.commitmentBreached]: 4,
  [EVENT_TYPES.listEntryRemoved]: 4,
  [EVENT_TYPES.repairApproved]: 3,
  [EVENT_TYPES.objectionFiled]: 2,
  [EVENT_TYPES.objectionResolved]: 2,
  [EVENT_TYPES.associationSanction]: 3,
  [EVENT_TYPES.associationSanctionWithdrawn]: 1,
};

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DIVISIONS = ['510802', '510811', '110105', '310115', '440305', '320106', '330106'];
const ORGANISATION_NAMES = ['通达物流有限公司', '恒信建材有限公司', '锦江餐饮管理有限公司', '蜀道化工有限公司', '天府商贸有限公司', '嘉陵纺织有限公司'];
const SOCIAL_ORGANISATION_NAMES = ['市物流行业协会', '区餐饮业商会', '区个体劳动者协会'];
const INSTITUTION_NAMES = ['区第三人民医院', '市职业技术学校', '区疾病预防控制中心'];
const SURNAMES = ['陈', '王', '李', '张', '刘', '孙', '赵', '周'];
const GIVEN_NAMES = ['立新', '海涛', '秀英', '建国', '丽娟', '志强', '晓燕', '明'];
const FINE_EDGES = [0, 0.5, 1, 999.99, 1000, 9999, 10000, 10001, 49999.5, 50000, 100000, 1000000, 2460000, 1e9];

export class CreditEventGenerator {
  readonly vocabulary: CreditEventVocabulary;
  private readonly prng: Prng;
  private readonly weights: [EventType, number][];
  private readonly stray: number;

  constructor(options: CreditEventGeneratorOptions) {
    this.prng = new Prng(options.seed);
    this.vocabulary = options.vocabulary ?? BASE_VOCABULARY;
    this.weights = ALL.map((type) => [type, options.eventTypeWeights?.[type] ?? DEFAULT_WEIGHTS[type]]);
    this.stray = options.strayPublisherRate ?? 0.1;
  }

  take(count: number): CreditEvent[] {
    return Array.from({ length: count }, () => this.next());
  }

  /** The next event: a plain object in a CloudEvents envelope that `parseCreditEvent` accepts. */
  next(): CreditEvent {
    const p = this.prng;
    const type = p.weighted(this.weights);
    const listCode = this.listCodeFor(type);
    const department = this.publisherFor(type, listCode);
    const subjectKind = p.weighted<SubjectKind>([
      ['enterprise', 60],
      ['individual', 25],
      ['social-organisation', 8],
      ['public-institution', 7],
    ]);
    // An association sanctions its own members, of its industry, with its own sanctions (a stray publisher is refused whatever it sends).
    const association = type === EVENT_TYPES.associationSanction ? this.vocabulary.departments.find((d) => d.code === department)?.association : undefined;
    const subject = association?.members
      ? { kind: 'enterprise', idType: 'USCC', id: p.pick(association.members), name: `广元市利州区${p.pick(ORGANISATION_NAMES)}` }
      : subjectKind === 'individual'
        ? { kind: subjectKind, idType: 'RESIDENT_ID', id: this.residentId(), name: this.personName() }
        : this.organisation(subjectKind);
    const decidedOn = this.date(2023, 2026);
    const data: Record<string, unknown> = { subject };
    const persons = this.relatedPersons(subjectKind);
    if (persons) data.relatedPersons = persons;
    data.documentNumber = `${department.slice(0, 4)}〔${decidedOn.slice(0, 4)}〕${p.between(1, 999)}号`;
    data.decidedOn = decidedOn;
    Object.assign(data, this.payload(type, listCode, decidedOn, association));
    const event: Record<string, unknown> = {
      specversion: '1.0',
      id: this.uuid(),
      source: `/departments/${department}`,
      type,
      subject: subject.id,
      time: `${decidedOn}T${String(p.between(0, 23)).padStart(2, '0')}:${String(p.between(0, 59)).padStart(2, '0')}:00Z`,
    };
    if (p.chance(0.7)) event.datacontenttype = 'application/json';
    event.data = data;
    return event as unknown as CreditEvent;
  }

  private listCodeFor(type: EventType): string | undefined {
    if (type === EVENT_TYPES.judgmentDebtorListed) return JUDGMENT_DEBTOR_LIST;
    if (!(LIST_EVENTS as string[]).includes(type)) return undefined;
    return this.prng.pick(this.vocabulary.listCodes);
  }

  private publisherFor(type: EventType, listCode: string | undefined): string {
    const p = this.prng;
    const departments = this.vocabulary.departments;
    if (p.chance(this.stray)) {
      return p.chance(0.3) ? p.pick(UNKNOWN_DEPARTMENTS) : p.pick(departments).code;
    }
    const owners = listCode ? this.listOwners(listCode) : [];
    if (owners.length > 0 && p.chance(0.8)) return p.pick(owners);
    const allowed = this.publishers(type);
    return allowed.length > 0 ? p.pick(allowed) : p.pick(departments).code;
  }

  private readonly ownersByList = new Map<string, string[]>();
  private readonly publishersByType = new Map<string, string[]>();

  private listOwners(listCode: string): string[] {
    let owners = this.ownersByList.get(listCode);
    if (!owners) this.ownersByList.set(listCode, (owners = this.vocabulary.departments.filter((d) => d.lists.includes(listCode)).map((d) => d.code)));
    return owners;
  }

  private publishers(type: string): string[] {
    let allowed = this.publishersByType.get(type);
    if (!allowed) this.publishersByType.set(type, (allowed = this.vocabulary.departments.filter((d) => d.eventTypes.includes(type)).map((d) => d.code)));
    return allowed;
  }

  private payload(type: EventType, listCode: string | undefined, decidedOn: string, association?: DepartmentPublishing['association']): Record<string, unknown> {
    const p = this.prng;
    const v = this.vocabulary;
    const code = (codes: readonly string[]) => (p.chance(0.08) ? `unlisted-code-${p.int(5)}` : p.pick(codes));
    switch (type) {
      case EVENT_TYPES.listEntryAdded: {
        const out: Record<string, unknown> = { listCode, reason: code(v.reasons) };
        const validFrom = p.chance(0.5) ? addDays(decidedOn, p.between(0, 30)) : undefined;
        if (validFrom) out.validFrom = validFrom;
        if (p.chance(0.5)) out.validTo = addDays(validFrom ?? decidedOn, p.pick([0, 1, 30, 180, 365, 730, 1095, 1096, 2000, 5000]));
        return out;
      }
      case EVENT_TYPES.listEntryRemoved:
        return { listCode, reason: code(v.reasons) };
      case EVENT_TYPES.penaltyImposed: {
        const out: Record<string, unknown> = {
          severity: p.weighted([
            ['minor', 3],
            ['general', 4],
            ['serious', 4],
          ] as const),
          penaltyType: code(v.penaltyTypes),
          reason: code(v.reasons),
        };
        if (p.chance(0.7)) out.fineAmountYuan = p.chance(0.5) ? p.pick(FINE_EDGES) : Math.round(p.next() * 5_000_000) / 100;
        return out;
      }
      case EVENT_TYPES.judgmentDebtorListed: {
        const out: Record<string, unknown> = { reason: code(['refusal-to-perform', 'evading-enforcement', 'false-declaration', ...v.reasons.slice(0, 3)]) };
        if (p.chance(0.4)) out.validTo = addDays(decidedOn, p.pick([1, 365, 730, 731, 1825]));
        return out;
      }
      case EVENT_TYPES.ratingAssigned: {
        const out: Record<string, unknown> = { scheme: code(v.ratingSchemes), grade: p.pick(v.grades.filter((g) => g.length <= 4)), ratingYear: p.pick([1990, 2023, 2024, 2025, 2100]) };
        if (p.chance(0.5)) out.validTo = addDays(decidedOn, p.pick([1, 365, 366, 730]));
        return out;
      }
      case EVENT_TYPES.honourGranted: {
        const out: Record<string, unknown> = { honourCode: code(v.honourCodes), title: p.pick(['诚信示范企业', '守合同重信用企业', '劳动模范']) };
        if (p.chance(0.5)) out.validTo = addDays(decidedOn, p.pick([365, 730, 1095]));
        return out;
      }
      case EVENT_TYPES.commitmentMade:
      case EVENT_TYPES.commitmentBreached:
        return { commitmentType: code(v.commitmentTypes), matter: p.pick(['按期申报纳税', '按时足额支付工资', '产品质量符合标准']) };
      case EVENT_TYPES.repairApproved:
        return { listCode };
      case EVENT_TYPES.objectionFiled:
        return { objectionId: `OBJ-${p.between(1, 99999)}`, listCode, reason: p.pick(['记录有误：处罚决定已撤销', 'wrong subject', 'duplicate listing']) };
      case EVENT_TYPES.objectionResolved:
        return { objectionId: `OBJ-${p.between(1, 99999)}`, listCode, outcome: p.pick(['confirmed', 'revoked']) };
      case EVENT_TYPES.associationSanction: {
        const out: Record<string, unknown> = {
          sanction: p.pick(association?.sanctions ?? ASSOCIATION_SANCTIONS),
          industry: association?.industry ?? code(v.industries),
          reason: code(v.reasons),
        };
        if (!association?.members || p.chance(0.5)) out.memberSince = addDays(decidedOn, -p.between(30, 3000));
        return out;
      }
      // A sanction the stream need not hold: like a generated removal, it mostly finds nothing to end.
      case EVENT_TYPES.associationSanctionWithdrawn:
        return { sanctionDocumentNumber: `DOC-${p.between(1, 99999)}`, reason: code(v.reasons) };
    }
  }

  private relatedPersons(kind: SubjectKind): Record<string, string>[] | undefined {
    const p = this.prng;
    if (kind === 'individual' ? !p.chance(0.05) : p.chance(0.25)) return undefined;
    const count = p.weighted([
      [0, 1],
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1],
    ] as const);
    return Array.from({ length: count }, () => ({ role: p.pick(RELATED_PERSON_ROLES), idType: 'RESIDENT_ID', id: this.residentId(), name: this.personName() }));
  }

  private organisation(kind: SubjectKind): { kind: SubjectKind; idType: string; id: string; name: string } {
    const p = this.prng;
    const authority = kind === 'enterprise' ? '9' : kind === 'social-organisation' ? '5' : '1';
    let body = authority + p.pick(['1', '2', '3']) + p.pick(DIVISIONS);
    for (let i = 0; i < 9; i++) body += USCC_ALPHABET[p.int(USCC_ALPHABET.length)];
    const names = kind === 'enterprise' ? ORGANISATION_NAMES : kind === 'social-organisation' ? SOCIAL_ORGANISATION_NAMES : INSTITUTION_NAMES;
    return { kind, idType: 'USCC', id: body + computeUsccCheckCharacter(body), name: `${p.pick(['广元市', '成都市', '利州区'])}${p.pick(names)}` };
  }

  private residentId(): string {
    const p = this.prng;
    const birth = this.date(1950, 2005).replace(/-/g, '');
    const body = p.pick(DIVISIONS) + birth + String(p.between(0, 999)).padStart(3, '0');
    return body + computeResidentIdentityCheckCharacter(body);
  }

  private personName(): string {
    return this.prng.pick(SURNAMES) + this.prng.pick(GIVEN_NAMES);
  }

  private date(fromYear: number, toYear: number): string {
    const p = this.prng;
    const start = Date.UTC(fromYear, 0, 1);
    const end = Date.UTC(toYear, 11, 31);
    return new Date(start + p.int(Math.floor((end - start) / 86_400_000) + 1) * 86_400_000).toISOString().slice(0, 10);
  }

  private uuid(): string {
    const p = this.prng;
    const hex = (n: number) => Array.from({ length: n }, () => p.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[p.int(4)]}${hex(3)}-${hex(12)}`;
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Rule-set variants

/**
 * Scale a rule base to `ruleCount` rules: the shipped memoranda, then variants of them —
 * each a memorandum of its own (new id, list code, measure codes, reason/scheme/honour
 * codes) with varied conditions — until the count is reached. Variants stay legal: the
 * severity guard of every rule is kept in its top-level `all`. Returns memoranda ready to
 * be serialised for `buildRuleSet`.
 */
export function scaleMemoranda(base: readonly Memorandum[], ruleCount: number, seed: number): Memorandum[] {
  const out: Memorandum[] = base.map((m) => structuredClone(m));
  let rules = out.reduce((sum, m) => sum + m.rules.length, 0);
  if (rules > ruleCount) throw new Error(`the base set already has ${rules} rules (more than ${ruleCount})`);
  const prng = new Prng(seed);
  const departments = DEFAULT_DEPARTMENTS.filter((d) => d.eventTypes.length > 0).map((d) => d.code);
  for (let n = 1; rules < ruleCount; n++) {
    const variant = variantOf(base[(n - 1) % base.length], n, prng.fork(n), departments);
    if (rules + variant.rules.length > ruleCount) variant.rules = variant.rules.slice(0, ruleCount - rules);
    rules += variant.rules.length;
    out.push(variant);
  }
  return out;
}

/** The file a memorandum would be loaded from (`buildRuleSet` input), citing instruments by catalogue id. */
export function toRuleFile(memorandum: Memorandum): { file: string; content: string } {
  return { file: `${memorandum.id}.json`, content: JSON.stringify({ $schema: './memorandum.schema.json', ...memorandumAsWritten(memorandum) }) };
}

function variantOf(base: Memorandum, n: number, p: Prng, departments: readonly string[]): Memorandum {
  const m = structuredClone(base) as Memorandum & { $schema?: string };
  delete m.$schema;
  const suffix = `v${n}`;
  const codeMap = new Map<string, string>();
  m.id = `${base.id}-${suffix}`;
  m.documentNumber = `${base.documentNumber}（${suffix}）`;
  m.title = { zh: `${base.title.zh}（变体${n}）`, en: `${base.title.en} (variant ${n})` };
  m.list = { ...m.list, code: `${base.list.code}-${suffix}`, name: { zh: `${base.list.name.zh}（变体${n}）`, en: `${base.list.name.en} (variant ${n})` } };
  m.measures = m.measures.map((measure: MeasureDefinition) => {
    const [prefix, number] = measure.code.split('-');
    const code = `${prefix}V${n}-${number}`;
    codeMap.set(measure.code, code);
    return { ...measure, code };
  });
  const renamed = (value: string) => `${value}-${suffix}`;
  const swapDepartment = p.chance(0.3) ? p.pick(departments) : undefined;
  if (swapDepartment) m.list.identifyingDepartment = swapDepartment;
  m.rules = m.rules.map((rule: RuleDefinition) => ({
    ...rule,
    name: renamed(rule.name),
    measures: rule.measures.map((code) => codeMap.get(code)!),
    conditions: mutate(rule.conditions, true) as RuleDefinition['conditions'],
  }));
  return m;

  function ownReasons(): { fact: string; operator: string; value: string[] } {
    return { fact: 'reason', operator: 'in', value: [`${base.list.code}-offence-${suffix}`, `${base.list.code}-repeat-offence-${suffix}`] };
  }

  function mutate(node: unknown, topLevel: boolean): unknown {
    if (Array.isArray(node)) return node.map((child) => mutate(child, false));
    const condition = node as Record<string, unknown>;
    if ('all' in condition) {
      const all = (condition.all as unknown[]).map((child) => mutate(child, false));
      const isPenaltyBranch = all.some((c) => isFact(c, 'eventType', 'equal', EVENT_TYPES.penaltyImposed));
      if (isPenaltyBranch && !all.some((c) => (c as { fact?: string }).fact === 'reason')) all.push(ownReasons());
      if (isPenaltyBranch && p.chance(0.35)) all.push({ fact: 'fineAmountYuan', operator: p.pick(['greaterThanInclusive', 'greaterThan']), value: p.pick([1000, 10000, 50000, 100000]) });
      if (topLevel && p.chance(0.15)) all.push({ fact: 'relatedRoles', operator: 'contains', value: p.pick(['legal-representative', 'actual-controller']) });
      if (topLevel && p.chance(0.1)) all.push({ fact: 'termDays', operator: p.pick(['lessThanInclusive', 'greaterThan']), value: p.pick([365, 730, 1095]) });
      if (topLevel && p.chance(0.15)) all.push({ not: { fact: 'penaltyType', operator: 'in', value: ['warning', 'detention'] } });
      return { all };
    }
    if ('any' in condition) {
      // A new memorandum targets its own offences: a penalty branch without a reason gets reasons of
      // its own, so a bigger rule base covers more situations rather than one situation many times over.
      return {
        any: (condition.any as unknown[]).map((child) =>
          isFact(child, 'eventType', 'equal', EVENT_TYPES.penaltyImposed)
            ? { all: [child, ownReasons()] }
            : mutate(child, false),
        ),
      };
    }
    if ('not' in condition) return { not: mutate(condition.not, false) };
    const { fact, operator, value } = condition as { fact: string; operator: string; value: unknown };
    const map = (f: (v: string) => string) => (Array.isArray(value) ? value.map((v) => f(v as string)) : f(value as string));
    switch (fact) {
      case 'listCode':
        return { fact, operator, value: map((v) => (v === base.list.code ? m.list.code : v)) };
      case 'reason':
      case 'honourCode':
      case 'ratingScheme':
      case 'commitmentType':
      case 'industry':
        return { fact, operator, value: map(renamed) };
      case 'sourceDepartment':
        return swapDepartment && operator === 'equal' ? { fact, operator, value: swapDepartment } : condition;
      case 'grade':
        return p.chance(0.5) ? { fact, operator: 'in', value: p.pick([['A'], ['A', 'B'], ['A', 'A+']]) } : condition;
      case 'subjectKind':
        return p.chance(0.2) && operator === 'in' ? { fact, operator: 'notIn', value: ['individual'] } : condition;
      default:
        return condition;
    }
  }
}

function isFact(node: unknown, fact: string, operator: string, value: unknown): boolean {
  const c = node as Record<string, unknown>;
  return !!c && c.fact === fact && c.operator === operator && c.value === value;
}
