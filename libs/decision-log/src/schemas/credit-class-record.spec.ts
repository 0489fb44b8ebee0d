import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { caseFacts, checkClassModels, CreditClassEvaluator, defaultAssignment, InstrumentCatalogue, readClassModelSources } from '@app/rules';
import { creditClassChangedRecords } from '../credit-class.record';
import { CREDIT_CLASS_RECORD_SCHEMA } from './credit-class.schema';

const RULES_DIR = resolve(__dirname, '../../../../rules');
const instruments = new InstrumentCatalogue((JSON.parse(readFileSync(join(RULES_DIR, 'instruments.json'), 'utf8')) as { instruments: [] }).instruments);
const [model] = checkClassModels(readClassModelSources(RULES_DIR), { instruments }).models;

describe('credit-class.changed record schema', () => {
  it('describes the records of a change to each class of the shipped model, one per department told, with ids fixed by the change', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(CREDIT_CLASS_RECORD_SCHEMA);
    const evaluator = new CreditClassEvaluator(model);
    const at = new Date('2026-06-01T02:00:00Z');
    for (const facts of [{ 'lists.black': 1 }, { 'lists.keyAttention': 1 }, { commendations: 1 }, {}]) {
      const assignment = await evaluator.evaluate(caseFacts(facts));
      const change = { subject: { kind: 'enterprise', id: '91510802MA6T7E1QXE' }, previous: { class: model.defaultClass, basis: 'default' as const }, assignment, asOf: '2026-06-01', causeKey: '/departments/court/e1' };
      const records = creditClassChangedRecords(change, model.publishTo, at);
      expect(records.map((r) => r.department)).toEqual(model.publishTo);
      expect(creditClassChangedRecords(change, model.publishTo, at).map((r) => r.recordId)).toEqual(records.map((r) => r.recordId));
      for (const record of records) if (!validate(JSON.parse(JSON.stringify(record.payload)))) throw new Error(`${assignment.class}: ${JSON.stringify(validate.errors)}`);
    }
    const [record] = creditClassChangedRecords({ subject: { kind: 'enterprise', id: 'x' }, previous: { class: 'A', basis: 'rule' }, assignment: { ...defaultAssignment(model), basis: 'otherwise' }, asOf: '2026-06-01', causeKey: 'k' }, ['market-regulation'], at);
    expect(validate({ ...record.payload, surprise: 1 })).toBe(false);
    expect(validate({ ...record.payload, basis: 'default' })).toBe(false);
  });
});
