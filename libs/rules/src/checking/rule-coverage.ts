import { parseCreditEvent } from '@app/domain';
import { ConditionProperties, NestedCondition, TopLevelCondition } from 'json-rules-engine';
import { buildCreditFacts } from '../evaluation/credit-facts';
import { JsonRulesEngineEvaluator } from '../evaluation/json-rules-engine.evaluator';
import { Memorandum, RuleDefinition } from '../loader/memorandum';
import { RuleSet } from '../loader/rule-set';
import { RuleProblem } from '../loader/rule-set.errors';
import { quote } from '../loader/lint/did-you-mean';

/** The events of one memorandum's rule cases (rules/<id>.cases.json). */
export interface CaseEvents {
  memorandum: string;
  events: readonly unknown[];
}

export interface CoverageOptions {
  /** Files being changed (rules:check's drafts): an overlap is reported on them rather than on the memorandum already in force. */
  changed?: ReadonlySet<string>;
}

/**
 * Warnings about what rule cases do not show: a memorandum without any, and two memoranda
 * that decide on the same events with no case showing an event both decide on.
 *
 * How overlaps are found. A rule's conditions are multiplied out into alternatives (`all`
 * intersects, `any` unites); in each, the `equal` / `in` tests give per fact the values it
 * admits, and every other test (`not`, comparisons, paths) is ignored, so the alternatives
 * together hold every event the rule matches, and more. Two rules of different memoranda can
 * only fire together where an alternative of each intersects on every fact both constrain.
 * There a witness is built, one admitted value per constrained fact, and both rules are run
 * on it with json-rules-engine: only when both match is the overlap reported, with the witness
 * quoted, so every warning names facts both rules decide on (the ignored tests cause no false
 * alarm; an overlap that only a value other than the first admitted one reaches goes unseen).
 * The rule cases of every memorandum are run as events the same way: an overlap is covered,
 * and not reported, when each of the two memoranda has a case whose event makes both rules
 * fire (a case checks only its own memorandum's decisions, so each shows its part).
 */
export async function coverageWarnings(ruleSet: RuleSet, cases: readonly CaseEvents[], options: CoverageOptions = {}): Promise<RuleProblem[]> {
  const warnings: RuleProblem[] = [];
  for (const memorandum of ruleSet.memoranda) {
    const count = cases.filter((c) => c.memorandum === memorandum.id).reduce((n, c) => n + c.events.length, 0);
    if (count === 0) {
      warnings.push({
        severity: 'warning',
        file: fileOf(memorandum),
        path: '$.rules',
        code: 'RULES.NO_CASES',
        message: `memorandum "${memorandum.id}" has no rule cases: add ${memorandum.id}.cases.json with a case { note, event, expect } per rule, so rules:check shows what it decides`,
      });
    }
  }

  const evaluator = new JsonRulesEngineEvaluator(ruleSet);
  // Pairs of rules (`memorandum/rule|memorandum/rule`) some case of a memorandum shows firing together.
  const shownBy = new Map<string, Set<string>>();
  for (const { memorandum, events } of cases) {
    const shown = shownBy.get(memorandum) ?? new Set<string>();
    shownBy.set(memorandum, shown);
    for (const event of events) {
      const keys = await matchedKeys(evaluator, () => buildCreditFacts(parseCreditEvent(event), ruleSet));
      for (const a of keys) for (const b of keys) shown.add(`${a}|${b}`);
    }
  }
  // A case checks only its own memorandum's decisions, so an overlap is covered when each memorandum has a case on a shared event.
  const covered = (pair: string, a: Memorandum, b: Memorandum) => shownBy.get(a.id)?.has(pair) === true && shownBy.get(b.id)?.has(pair) === true;

  // Reported on the changed memorandum, else on the one whose cases miss the overlap, else on the later one.
  const reportedOnFirst = (a: RuleRef, b: RuleRef, key: string): boolean => {
    const changedA = options.changed?.has(fileOf(a.memorandum)) === true;
    const changedB = options.changed?.has(fileOf(b.memorandum)) === true;
    if (changedA !== changedB) return changedA;
    const shownA = shownBy.get(a.memorandum.id)?.has(key) === true;
    const shownB = shownBy.get(b.memorandum.id)?.has(key) === true;
    return shownA !== shownB && shownB;
  };
  const memoranda = ruleSet.memoranda;
  for (let i = 0; i < memoranda.length; i++) {
    for (let j = i + 1; j < memoranda.length; j++) {
      const pair = await firstUncoveredOverlap(memoranda[i], memoranda[j], evaluator, covered);
      if (!pair) continue;
      const key = `${memoranda[i].id}/${pair.a.rule.name}|${memoranda[j].id}/${pair.b.rule.name}`;
      const [here, there] = reportedOnFirst(pair.a, pair.b, key) ? [pair.a, pair.b] : [pair.b, pair.a];
      const witness = Object.entries(pair.witness)
        .map(([fact, value]) => `${fact} ${quote(value)}`)
        .join(', ');
      const unshown = [here, there].filter((ref) => shownBy.get(ref.memorandum.id)?.has(key) !== true).map((ref) => `${ref.memorandum.id}.cases.json`);
      warnings.push({
        severity: 'warning',
        file: fileOf(here.memorandum),
        path: `$.rules[${here.memorandum.rules.indexOf(here.rule)}].conditions`,
        code: 'RULES.OVERLAP',
        value: there.rule.name,
        message:
          `rule "${here.rule.name}" fires on the same events as rule "${there.rule.name}" of ${fileOf(there.memorandum)} (e.g. ${witness}), ` +
          `and no case in ${unshown.join(' or ')} shows such an event: add one showing what the subject gets, or narrow the conditions`,
      });
    }
  }
  return warnings;
}

interface RuleRef {
  memorandum: Memorandum;
  rule: RuleDefinition;
}

async function firstUncoveredOverlap(
  first: Memorandum,
  second: Memorandum,
  evaluator: JsonRulesEngineEvaluator,
  covered: (pair: string, a: Memorandum, b: Memorandum) => boolean,
): Promise<{ a: RuleRef; b: RuleRef; witness: Record<string, unknown> } | undefined> {
  for (const ruleA of first.rules) {
    for (const ruleB of second.rules) {
      const keyA = `${first.id}/${ruleA.name}`;
      const keyB = `${second.id}/${ruleB.name}`;
      if (covered(`${keyA}|${keyB}`, first, second)) continue;
      for (const boxA of boxesOf(ruleA.conditions)) {
        for (const boxB of boxesOf(ruleB.conditions)) {
          const both = merge(boxA, boxB);
          if (!both) continue;
          const witness = witnessOf(both);
          const keys = await matchedKeys(evaluator, () => ({ relatedRoles: [], ...witness }));
          if (keys.has(keyA) && keys.has(keyB)) return { a: { memorandum: first, rule: ruleA }, b: { memorandum: second, rule: ruleB }, witness };
        }
      }
    }
  }
  return undefined;
}

/** Per fact, the values one conjunction of a rule's tests admits (`contains` kept apart: its fact is a list). */
interface Box {
  admits: ReadonlyMap<string, readonly unknown[]>;
  contains: ReadonlyMap<string, readonly unknown[]>;
}

const ANYTHING: Box = { admits: new Map(), contains: new Map() };
/** Beyond this many alternatives a rule counts as admitting anything: still sound, the witness run decides. */
const MAX_ALTERNATIVES = 64;

/** A rule's conditions as alternatives (a disjunction of boxes): `all` multiplies them out, `any` adds them up. */
function boxesOf(condition: NestedCondition | TopLevelCondition): Box[] {
  if ('all' in condition) {
    let boxes: Box[] = [ANYTHING];
    for (const child of condition.all) {
      boxes = boxes.flatMap((box) => boxesOf(child).map((other) => merge(box, other))).filter((box): box is Box => box !== undefined);
      if (boxes.length > MAX_ALTERNATIVES) return [ANYTHING];
    }
    return boxes;
  }
  if ('any' in condition) {
    const boxes = condition.any.flatMap(boxesOf);
    return boxes.length > MAX_ALTERNATIVES ? [ANYTHING] : boxes;
  }
  if (!('fact' in condition) || (condition as ConditionProperties).path) return [ANYTHING];
  const { fact, operator, value } = condition as ConditionProperties;
  if (operator === 'equal') return [{ admits: new Map([[fact, [value]]]), contains: new Map() }];
  if (operator === 'in' && Array.isArray(value)) return [{ admits: new Map([[fact, value]]), contains: new Map() }];
  if (operator === 'contains') return [{ admits: new Map(), contains: new Map([[fact, [value]]]) }];
  return [ANYTHING];
}

/** Both boxes at once, or undefined when some fact admits nothing in common. */
function merge(a: Box, b: Box): Box | undefined {
  const admits = new Map(a.admits);
  for (const [fact, values] of b.admits) {
    const common = admits.has(fact) ? admits.get(fact)!.filter((v) => values.includes(v)) : values;
    if (common.length === 0) return undefined;
    admits.set(fact, common);
  }
  const contains = new Map(a.contains);
  for (const [fact, values] of b.contains) contains.set(fact, [...new Set([...(contains.get(fact) ?? []), ...values])]);
  return { admits, contains };
}

/** One event's facts in a box: the first admitted value of each constrained fact. */
function witnessOf(box: Box): Record<string, unknown> {
  return Object.fromEntries([...[...box.admits].map(([fact, values]) => [fact, values[0]]), ...box.contains]);
}

/** Keys (`memorandum/rule`) of the rules that fire on some facts; none when the facts cannot be built (a case's broken event is its own failure). */
async function matchedKeys(evaluator: JsonRulesEngineEvaluator, facts: () => object): Promise<Set<string>> {
  let built: object;
  try {
    built = facts();
  } catch {
    return new Set();
  }
  return new Set((await evaluator.evaluate(built)).map((m) => `${m.memorandum.id}/${m.rule.name}`));
}

function fileOf(memorandum: Memorandum): string {
  return `${memorandum.id}.json`;
}
