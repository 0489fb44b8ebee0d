import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InstrumentCatalogue } from '../loader/instrument-catalogue';
import { checkClassModels, readClassModelSources } from './credit-class-model-loader';
import { caseFacts, runClassCases } from './credit-class-cases';
import { classesOfSubject, CreditClassEvaluator, defaultAssignment, explainAssignment } from './credit-class.evaluator';

const RULES = resolve(__dirname, '../../../../rules');
const instruments = new InstrumentCatalogue((JSON.parse(readFileSync(join(RULES, 'instruments.json'), 'utf8')) as { instruments: [] }).instruments);
const departments = new Set((JSON.parse(readFileSync(resolve(RULES, '../config/departments.json'), 'utf8')) as { departments: { code: string }[] }).departments.map((d) => d.code));
const sources = readClassModelSources(RULES);

/** The shipped model with one edit, as rules:check would read a draft. */
function checkEdited(edit: (model: Record<string, any>) => void) {
  const [file] = sources.models;
  const model = JSON.parse(file.content) as Record<string, any>;
  edit(model);
  return checkClassModels({ ...sources, models: [{ file: file.file, content: JSON.stringify(model) }] }, { knownDepartments: departments, instruments }).problems;
}

describe('credit class models', () => {
  it('ships the market regulation model, valid, with every case passing and every rule shown by one', async () => {
    const { models, problems } = checkClassModels(sources, { knownDepartments: departments, instruments });
    expect(problems).toEqual([]);
    expect(models.map((m) => m.id)).toEqual(['market-credit-class']);
    const { outcomes, warnings } = await runClassCases(RULES, models);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(models[0].rules.length);
    expect(warnings).toEqual([]);
  });

  it('names a mistyped fact at its path, with the fact meant', () => {
    const problems = checkEdited((m) => (m.rules[0].conditions.all[0].fact = 'lists.blak'));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'classes/market-credit-class.json', path: '$.rules[0].conditions.all[0].fact', code: 'RULES.UNKNOWN_FACT', suggestion: 'lists.black' }),
    ]);
  });

  it('refuses a class the model does not declare, and an unknown department', () => {
    const problems = checkEdited((m) => {
      m.rules[1].class = 'CC';
      m.publishTo.push('market-regulaton');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '$.rules[1].class', code: 'RULES.UNKNOWN_CLASS', value: 'CC', suggestion: 'C' }),
        expect.objectContaining({ path: '$.publishTo[2]', code: 'RULES.UNKNOWN_DEPARTMENT', suggestion: 'market-regulation' }),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('refuses a citation outside the catalogue and an id that is not the file name', () => {
    const problems = checkEdited((m) => {
      m.id = 'market-class';
      m.legalBasis[0].instrument = 'samr-credit-risk-opinions';
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['$.id', 'RULES.INVALID_VALUE'],
      ['$.legalBasis[0].instrument', 'RULES.UNKNOWN_INSTRUMENT'],
    ]);
  });

  it('reports a schema mistake outside conditions once, at the property', () => {
    const problems = checkEdited((m) => (m.rules[0].klass = 'D'));
    expect(problems).toEqual([expect.objectContaining({ path: '$.rules[0].klass', code: 'RULES.UNKNOWN_PROPERTY', suggestion: 'class' })]);
  });
});

describe('CreditClassEvaluator', () => {
  const [model] = checkClassModels(sources, { knownDepartments: departments, instruments }).models;
  const evaluator = new CreditClassEvaluator(model);

  it('gives the first matching rule, says what it read and which later rules matched too', async () => {
    const assignment = await evaluator.evaluate(caseFacts({ 'lists.black': 1, 'lists.keyAttention': 2, commendations: 1 }));
    expect(assignment).toMatchObject({ class: 'D', basis: 'rule', rule: { name: 'blacklisted', matchedFacts: { 'lists.black': 1 } }, alsoMatched: ['key-attention', 'commended'] });
    expect(assignment.model).toEqual({ id: 'market-credit-class', version: model.version, revision: model.revision });
    expect(explainAssignment(assignment).en).toBe('Class D (high credit risk): on a blacklist of seriously dishonest subjects (lists.black=1)');
  });

  it('falls back to the otherwise class on record and to the default class for a subject never seen', async () => {
    expect(await evaluator.evaluate(caseFacts({}))).toMatchObject({ class: 'B', basis: 'otherwise', rule: null });
    expect(defaultAssignment(model)).toMatchObject({ class: 'B', basis: 'default', facts: null, label: { zh: 'B类（信用风险一般）' } });
  });

  it('refuses a case naming a fact that standing does not provide', () => {
    expect(() => caseFacts({ 'commitment.broken': 1 } as never)).toThrow('unknown fact "commitment.broken"; did you mean "commitments.broken"?');
  });
});

describe('classesOfSubject', () => {
  const [model] = checkClassModels(sources, { knownDepartments: departments, instruments }).models;
  const none = new Map<string, { class: string; basis: string; explanation: Record<string, unknown> }>();

  it('answers a stored class as stored, with its rule and facts', async () => {
    const stored = await new CreditClassEvaluator(model).evaluate(caseFacts({ 'lists.keyAttention': 1 }));
    const rows = new Map([[model.id, { class: 'C', basis: 'rule', explanation: { rule: stored.rule, facts: stored.facts, alsoMatched: [], model: stored.model } }]]);
    const [answer] = classesOfSubject([model], 'USCC', 'enterprise', rows);
    expect(answer.assignment).toMatchObject({ class: 'C', basis: 'rule', rule: { name: 'key-attention', matchedFacts: { 'lists.keyAttention': 1 } }, label: { en: 'Class C (higher credit risk)' } });
  });

  it('gives the default to an organisation never seen, its kind not yet known, and nothing to a kind the model leaves out', () => {
    expect(classesOfSubject([model], 'USCC', null, none).map((a) => [a.assignment.class, a.assignment.basis])).toEqual([['B', 'default']]);
    expect(classesOfSubject([model], 'USCC', 'social-organisation', none)).toEqual([]);
    expect(classesOfSubject([model], 'RESIDENT_ID', 'individual', none)).toEqual([]);
  });
});
