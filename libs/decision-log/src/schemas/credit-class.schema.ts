import { CreditClassChangedRecord } from '../credit-class.record';
import { CREDIT_CLASS_CHANGED_KIND, CREDIT_CLASS_RECORD_SCHEMA_VERSION } from '../record-kinds';
import { calendarDate, closed, CODE, department, nonEmpty, uuid } from './schema-parts';

const bilingual = (description: string) => ({ type: 'object', additionalProperties: false, required: ['zh', 'en'], properties: { zh: nonEmpty(), en: nonEmpty() }, description });
const classCode = (description: string) => ({ type: 'string', pattern: '^[A-Z][A-Z0-9]{0,3}$', description });

/** JSON Schema of credit-class.changed records (CreditClassChangedRecord), closed like the others. */
export const CREDIT_CLASS_RECORD_SCHEMA = closed<CreditClassChangedRecord>()(
  ['schemaVersion', 'recordId', 'kind', 'department', 'subjectId', 'subjectKind', 'model', 'previousClass', 'previousBasis', 'class', 'label', 'basis', 'rule', 'matchedFacts', 'asOf', 'occurredAt', 'causeKey'],
  {
    schemaVersion: { type: 'integer', const: CREDIT_CLASS_RECORD_SCHEMA_VERSION },
    recordId: uuid('Id of this record (also ce_id).'),
    kind: { type: 'string', const: CREDIT_CLASS_CHANGED_KIND },
    department: department('The department told: one the model names in publishTo.'),
    subjectId: { type: 'string', description: "The organisation's unified social credit code (natural persons' classes are never broadcast)." },
    subjectKind: { type: 'string', enum: ['enterprise', 'social-organisation', 'public-institution'] },
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version', 'revision'],
      properties: { id: { type: 'string', pattern: CODE }, version: { type: 'string' }, revision: { type: 'string', description: "Content hash of the model's file (rules/classes/<id>.json)." } },
    },
    previousClass: classCode("The class before; the model's default class when the subject had none."),
    previousBasis: { type: 'string', enum: ['rule', 'otherwise', 'default'] },
    class: classCode('The class now.'),
    label: bilingual("The class's label, as the model declares it."),
    basis: { type: 'string', enum: ['rule', 'otherwise'], description: 'rule: the first rule that matched gave it; otherwise: on record, and no rule matched.' },
    rule: {
      oneOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['name', 'description'], properties: { name: { type: 'string', pattern: CODE }, description: bilingual('Why this standing gives this class.') } },
      ],
    },
    matchedFacts: { type: 'object', description: 'The facts the rule read, with their values (e.g. {"lists.black": 1}).' },
    asOf: calendarDate('China date the standing was read on.'),
    occurredAt: { type: 'string', format: 'date-time' },
    causeKey: { type: 'string', description: 'What changed the standing: the credit event (source/id), or the scheduler run (expired/<date>).' },
  },
  "A subject's credit class changed under a classification model, with the rule and facts that gave the new class.",
);
