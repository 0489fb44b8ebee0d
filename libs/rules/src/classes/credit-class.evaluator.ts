import { Engine, Rule, RuleResult } from 'json-rules-engine';
import type { BilingualText } from '@app/domain';
import { factsRead } from '../evaluation/json-rules-engine.evaluator';
import { classifiesIdentifierType, classLabel, CreditClassFacts, CreditClassModel } from './credit-class-model';

/**
 * How a class was given: `rule` (the first rule that matched), `otherwise` (a subject on record
 * that no rule matched) or `default` (a subject never seen: nothing on record).
 */
export type CreditClassBasis = 'rule' | 'otherwise' | 'default';

/** A subject's class under one model, with its explanation: which facts, which rule, which model. */
export interface CreditClassAssignment {
  model: { id: string; version: string; revision: string };
  class: string;
  label: BilingualText;
  basis: CreditClassBasis;
  /** The rule that gave the class (basis `rule`), with the facts its conditions read. */
  rule: { name: string; description: BilingualText; matchedFacts: Record<string, unknown> } | null;
  /** Later rules that matched too, in order: first match wins, these say what else holds. */
  alsoMatched: string[];
  /** Every fact the rules were given (null for a subject never seen). */
  facts: CreditClassFacts | null;
}

/** One json-rules-engine Engine per model, holding its rules; first match in file order wins. */
export class CreditClassEvaluator {
  private readonly engine: Engine;
  private readonly order: ReadonlyMap<string, number>;

  constructor(readonly model: CreditClassModel) {
    // A fact a rule names that standing lacks is a lint error; undefined is never an evaluation error here.
    this.engine = new Engine([], { allowUndefinedFacts: true });
    this.order = new Map(model.rules.map((rule, i) => [rule.name, i]));
    for (const rule of model.rules) {
      this.engine.addRule(new Rule({ name: rule.name, conditions: structuredClone(rule.conditions), event: { type: 'credit-class-rule-matched', params: { name: rule.name } } }));
    }
  }

  async evaluate(facts: CreditClassFacts): Promise<CreditClassAssignment> {
    const { results } = await this.engine.run({ ...facts, listCodes: [...facts.listCodes] });
    const matched = results.map((r) => ({ result: r, index: this.order.get(r.name as string)! })).sort((a, b) => a.index - b.index);
    const model = modelRef(this.model);
    const [first, ...rest] = matched;
    if (!first) return { model, class: this.model.otherwiseClass, label: classLabel(this.model, this.model.otherwiseClass), basis: 'otherwise', rule: null, alsoMatched: [], facts };
    const rule = this.model.rules[first.index];
    return {
      model,
      class: rule.class,
      label: classLabel(this.model, rule.class),
      basis: 'rule',
      rule: { name: rule.name, description: rule.description, matchedFacts: matchedFactsOf(first.result) },
      alsoMatched: rest.map((m) => this.model.rules[m.index].name),
      facts,
    };
  }
}

/** The class of a subject never seen, stated as the model's default. */
export function defaultAssignment(model: CreditClassModel): CreditClassAssignment {
  return { model: modelRef(model), class: model.defaultClass, label: classLabel(model, model.defaultClass), basis: 'default', rule: null, alsoMatched: [], facts: null };
}

function modelRef(model: CreditClassModel): CreditClassAssignment['model'] {
  return { id: model.id, version: model.version, revision: model.revision };
}

function matchedFactsOf(result: RuleResult): Record<string, unknown> {
  const trace = (result.conditions as unknown as { toJSON?: (s: boolean) => unknown }).toJSON?.(false) ?? result.conditions;
  return factsRead(trace);
}

/** A short sentence for a check's answer: the class and why, in both languages. */
export function explainAssignment(assignment: CreditClassAssignment): BilingualText {
  const { label } = assignment;
  switch (assignment.basis) {
    case 'default':
      return { zh: `${label.zh}：无信用记录，按模型默认分类`, en: `${label.en}: nothing on record, the model's default class` };
    case 'otherwise':
      return { zh: `${label.zh}：有记录但未命中任何分类规则`, en: `${label.en}: on record, and no classification rule applies` };
    case 'rule': {
      const facts = Object.entries(assignment.rule!.matchedFacts).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
      return { zh: `${label.zh}：${assignment.rule!.description.zh}（${facts}）`, en: `${label.en}: ${assignment.rule!.description.en} (${facts})` };
    }
  }
}

/** A class as stored (credit_class), in the parts an answer needs. */
export interface StoredAssignment {
  class: string;
  basis: string;
  explanation: Record<string, unknown>;
}

/**
 * A subject's class under each model that classifies it: the stored one, else (a subject never
 * seen by that model) the model's default. A model classifies the subject when its kind is one
 * of the model's, or, the kind unknown, when the identifier's type can be one of them.
 */
export function classesOfSubject<Row extends StoredAssignment>(
  models: readonly CreditClassModel[],
  idType: string,
  kind: string | null,
  stored: ReadonlyMap<string, Row>,
): { model: CreditClassModel; row: Row | undefined; assignment: CreditClassAssignment }[] {
  return models
    .filter((m) => stored.has(m.id) || (kind === null ? classifiesIdentifierType(m, idType) : (m.subjectKinds as readonly string[]).includes(kind)))
    .map((model) => {
      const row = stored.get(model.id);
      if (!row) return { model, row, assignment: defaultAssignment(model) };
      const explanation = row.explanation as Partial<CreditClassAssignment>;
      const assignment: CreditClassAssignment = {
        model: explanation.model ?? { id: model.id, version: model.version, revision: model.revision },
        class: row.class,
        label: model.classes.find((c) => c.code === row.class)?.label ?? { zh: row.class, en: row.class },
        basis: row.basis as CreditClassBasis,
        rule: explanation.rule ?? null,
        alsoMatched: explanation.alsoMatched ?? [],
        facts: explanation.facts ?? null,
      };
      return { model, row, assignment };
    });
}
