import { BilingualText } from '@app/domain';
import type { ConditionProperties, TopLevelCondition } from 'json-rules-engine';
import type { RuleDefinition } from '../loader/memorandum';

/** The names a description needs that live outside the rule: departments (config/departments.json) and lists (the memoranda). */
export interface DescriptionVocabulary {
  departmentName(code: string): BilingualText | undefined;
  listName(code: string): BilingualText | undefined;
}

/** One rule as a person reads it: the condition in words, the measures it gives, and both as one line. */
export interface RuleDescription {
  name: string;
  when: BilingualText;
  measures: string;
  sentence: BilingualText;
}

type Condition = TopLevelCondition | ConditionProperties;
type Value = ConditionProperties['value'];

const EVENT_PHRASES: Readonly<Record<string, BilingualText>> = {
  'credit.list-entry.added.v1': { zh: '列入名单', en: 'a listing' },
  'credit.list-entry.removed.v1': { zh: '移出名单', en: 'a removal from a list' },
  'credit.penalty.imposed.v1': { zh: '作出行政处罚', en: 'an administrative penalty' },
  'credit.judgment-debtor.listed.v1': { zh: '公布失信被执行人', en: 'a judgment-debtor listing' },
  'credit.rating.assigned.v1': { zh: '评定信用等级', en: 'a credit rating' },
  'credit.honour.granted.v1': { zh: '授予荣誉', en: 'an honour' },
  'credit.commitment.made.v1': { zh: '受理信用承诺', en: 'a credit commitment' },
  'credit.commitment.breached.v1': { zh: '认定违背信用承诺', en: 'a broken credit commitment' },
  'credit.repair.approved.v1': { zh: '批准信用修复', en: 'an approved credit repair' },
  'credit.objection.filed.v1': { zh: '受理异议', en: 'an objection' },
  'credit.objection.resolved.v1': { zh: '办结异议', en: 'a resolved objection' },
};

const VALUE_NAMES: Readonly<Record<string, Readonly<Record<string, BilingualText>>>> = {
  severity: { serious: { zh: '严重', en: 'serious' }, general: { zh: '一般', en: 'general' }, minor: { zh: '轻微', en: 'minor' }, none: { zh: '无', en: 'no' } },
  subjectKind: {
    enterprise: { zh: '企业', en: 'an enterprise' },
    individual: { zh: '自然人', en: 'a natural person' },
    'social-organisation': { zh: '社会组织', en: 'a social organisation' },
    'public-institution': { zh: '事业单位', en: 'a public institution' },
  },
  relatedRoles: {
    'legal-representative': { zh: '法定代表人', en: 'legal representative' },
    'responsible-manager': { zh: '主要负责人', en: 'responsible manager' },
    'actual-controller': { zh: '实际控制人', en: 'actual controller' },
  },
};

const FACT_NAMES: Readonly<Record<string, BilingualText>> = {
  eventType: { zh: '事件类型', en: 'event type' },
  sourceDepartment: { zh: '发布部门', en: 'publishing department' },
  subjectKind: { zh: '主体类型', en: 'subject kind' },
  listCode: { zh: '名单', en: 'list' },
  listType: { zh: '名单类型', en: 'list type' },
  severity: { zh: '严重程度', en: 'severity' },
  penaltyType: { zh: '处罚种类', en: 'penalty type' },
  reason: { zh: '事由', en: 'reason' },
  ratingScheme: { zh: '评级体系', en: 'rating scheme' },
  grade: { zh: '等级', en: 'grade' },
  honourCode: { zh: '荣誉', en: 'honour' },
  commitmentType: { zh: '承诺类型', en: 'commitment type' },
  sanction: { zh: '自律惩戒', en: 'self-discipline sanction' },
  industry: { zh: '行业', en: 'industry' },
  relatedRoles: { zh: '关联人员', en: 'related persons' },
  fineAmountYuan: { zh: '罚款金额（元）', en: 'fine (yuan)' },
  termDays: { zh: '期限（天）', en: 'term (days)' },
};

const OPERATOR_NAMES: Readonly<Record<string, BilingualText>> = {
  equal: { zh: '为', en: 'is' },
  notEqual: { zh: '不为', en: 'is not' },
  in: { zh: '为', en: 'is' },
  notIn: { zh: '不为', en: 'is not' },
  contains: { zh: '包含', en: 'include' },
  doesNotContain: { zh: '不包含', en: 'do not include' },
  lessThan: { zh: '小于', en: 'is less than' },
  lessThanInclusive: { zh: '不大于', en: 'is at most' },
  greaterThan: { zh: '大于', en: 'is greater than' },
  greaterThanInclusive: { zh: '不小于', en: 'is at least' },
};

/** The facts woven into the sentence's frame ("when <department> publishes <event> …"); any other fact becomes a clause. */
const FRAME_FACTS = new Set(['sourceDepartment', 'eventType', 'listCode', 'severity', 'subjectKind']);

/**
 * A rule in plain language, from its conditions alone: "当区人民法院公布失信被执行人名单（严重；企业）时 → JD-01 … JD-07".
 * Pure: the vocabulary names departments and lists; unknown facts, operators and values are
 * still described (by their codes), so a new fact never makes a rule unreadable.
 */
export function describeRule(rule: Pick<RuleDefinition, 'name' | 'conditions' | 'measures'>, vocabulary: DescriptionVocabulary): RuleDescription {
  const when = describeCondition(rule.conditions, vocabulary);
  const measures = measureRange(rule.measures);
  return {
    name: rule.name,
    when,
    measures,
    sentence: { zh: `当${when.zh}时 → ${measures}`, en: `when ${when.en} → ${measures}` },
  };
}

function describeCondition(condition: Condition, vocabulary: DescriptionVocabulary): BilingualText {
  if ('all' in condition && condition.all) return describeAll(condition.all, vocabulary);
  if ('any' in condition && condition.any) {
    const parts = condition.any.map((c) => describeCondition(c, vocabulary));
    if (parts.length === 1) return parts[0];
    return { zh: parts.map((p) => p.zh).join('，或'), en: parts.map((p) => p.en).join(', or ') };
  }
  if ('not' in condition && condition.not) {
    const inner = describeCondition(condition.not, vocabulary);
    return { zh: `并非（${inner.zh}）`, en: `not (${inner.en})` };
  }
  if ('fact' in condition) return describeAll([condition], vocabulary);
  // A condition reference (`condition: name`) is resolved by the engine, not here.
  const reference = (condition as { condition?: string }).condition ?? '?';
  return { zh: `条件“${reference}”成立`, en: `condition "${reference}" holds` };
}

/** One conjunction: the frame facts make the sentence, the rest follow as "and …" clauses, nested groups in brackets. */
function describeAll(conditions: Condition[], vocabulary: DescriptionVocabulary): BilingualText {
  const facts = conditions.filter((c): c is ConditionProperties => 'fact' in c);
  const frame = new Map(facts.filter((c) => FRAME_FACTS.has(c.fact) && isPositive(c.operator)).map((c) => [c.fact, c]));
  const clauses = facts.filter((c) => !frame.has(c.fact) || frame.get(c.fact) !== c).map((c) => describeFact(c, vocabulary));
  const groups = conditions.filter((c) => !('fact' in c)).map((c) => describeCondition(c, vocabulary));

  const hasFrame = frame.size > 0;
  const sentence = hasFrame ? describeFrame(frame, vocabulary) : undefined;
  const zh = [sentence?.zh, ...clauses.map((c) => c.zh), ...groups.map((g) => (groups.length + clauses.length + (hasFrame ? 1 : 0) > 1 ? `（${g.zh}）` : g.zh))].filter(Boolean);
  const en = [sentence?.en, ...clauses.map((c) => c.en), ...groups.map((g) => (groups.length + clauses.length + (hasFrame ? 1 : 0) > 1 ? `(${g.en})` : g.en))].filter(Boolean);
  return { zh: zh.join('，且'), en: en.join(', and ') };
}

function describeFrame(frame: Map<string, ConditionProperties>, vocabulary: DescriptionVocabulary): BilingualText {
  const departments = valuesOf(frame.get('sourceDepartment')).map((code) => vocabulary.departmentName(code) ?? { zh: code, en: code });
  const lists = valuesOf(frame.get('listCode')).map((code) => vocabulary.listName(code) ?? { zh: code, en: code });
  const events = valuesOf(frame.get('eventType')).map((type) => EVENT_PHRASES[type] ?? { zh: type, en: type });
  const severities = valuesOf(frame.get('severity')).map((v) => VALUE_NAMES.severity[v] ?? { zh: v, en: v });
  const kinds = valuesOf(frame.get('subjectKind')).map((v) => VALUE_NAMES.subjectKind[v] ?? { zh: v, en: v });

  const who = departments.length ? orList(departments) : { zh: '任一部门', en: 'any department' };
  // A list names the event best ("失信被执行人名单"); without one, the event types do.
  const what = lists.length ? { zh: `发布${orList(lists).zh}`, en: `a listing on the ${orList(lists).en}` } : events.length ? { zh: orList(events).zh, en: orList(events).en } : { zh: '发布信用信息', en: 'credit information' };
  const qualifiers: BilingualText[] = [];
  if (severities.length) qualifiers.push({ zh: `${orList(severities).zh}`, en: `of ${orList(severities).en} severity` });
  if (kinds.length) qualifiers.push({ zh: `${orList(kinds).zh}`, en: `about ${orList(kinds).en}` });
  const zhQualifiers = qualifiers.length ? `（${qualifiers.map((q) => q.zh).join('；')}）` : '';
  const enQualifiers = qualifiers.length ? ` ${qualifiers.map((q) => q.en).join(' ')}` : '';
  const verb = departments.length === 1 && !/^the /i.test(who.en) ? `the ${who.en}` : who.en;
  return { zh: `${who.zh}${what.zh}${zhQualifiers}`, en: `${verb} publishes ${what.en}${enQualifiers}` };
}

function describeFact(condition: ConditionProperties, vocabulary: DescriptionVocabulary): BilingualText {
  const fact = FACT_NAMES[condition.fact] ?? { zh: condition.fact, en: condition.fact };
  const operator = OPERATOR_NAMES[condition.operator] ?? { zh: condition.operator, en: condition.operator };
  const values = valuesOf(condition).map((v) => valueName(condition.fact, v, vocabulary));
  const joined = ['in', 'notIn'].includes(condition.operator) ? orList(values) : { zh: values.map((v) => v.zh).join('、'), en: values.map((v) => v.en).join(', ') };
  return { zh: `${fact.zh}${operator.zh}${joined.zh}`, en: `${fact.en} ${operator.en} ${joined.en}` };
}

function valueName(fact: string, value: string, vocabulary: DescriptionVocabulary): BilingualText {
  if (fact === 'sourceDepartment') return vocabulary.departmentName(value) ?? { zh: value, en: value };
  if (fact === 'listCode') return vocabulary.listName(value) ?? { zh: value, en: value };
  if (fact === 'eventType') return EVENT_PHRASES[value] ?? { zh: value, en: value };
  return VALUE_NAMES[fact]?.[value] ?? { zh: `“${value}”`, en: `"${value}"` };
}

function isPositive(operator: string): boolean {
  return operator === 'equal' || operator === 'in';
}

function valuesOf(condition: ConditionProperties | undefined): string[] {
  if (!condition) return [];
  const value: Value = condition.value;
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
}

function orList(items: BilingualText[]): BilingualText {
  if (items.length <= 1) return items[0] ?? { zh: '', en: '' };
  return { zh: `${items.slice(0, -1).map((i) => i.zh).join('、')}或${items[items.length - 1].zh}`, en: `${items.slice(0, -1).map((i) => i.en).join(', ')} or ${items[items.length - 1].en}` };
}

/**
 * Measure codes as a reader scans them: consecutive codes of one prefix shortened to a range
 * ("JD-01 … JD-07"), the rest listed ("JD-01 … JD-07, JD-10").
 */
export function measureRange(codes: readonly string[]): string {
  const runs: string[][] = [];
  for (const code of codes) {
    const last = runs[runs.length - 1];
    if (last && follows(last[last.length - 1], code)) last.push(code);
    else runs.push([code]);
  }
  return runs.map((run) => (run.length >= 3 ? `${run[0]} … ${run[run.length - 1]}` : run.join(', '))).join(', ');
}

function follows(previous: string, code: string): boolean {
  const a = /^(.*?)(\d+)$/.exec(previous);
  const b = /^(.*?)(\d+)$/.exec(code);
  return !!a && !!b && a[1] === b[1] && Number(b[2]) === Number(a[2]) + 1;
}
