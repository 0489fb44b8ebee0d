import type { BilingualText, SubjectKind } from '@app/domain';
import type { TopLevelCondition } from 'json-rules-engine';

/**
 * A credit classification model (信用分类模型), kept like a memorandum: one JSON file a model
 * (rules/classes/<id>.json), its schema, and rule cases beside it. It sorts subjects into the
 * classes it declares from their standing (CreditClassFacts); its rules are tried in the order
 * written and the first that matches gives the class.
 */
export interface CreditClassModelFile {
  $schema?: string;
  $comment?: string;
  id: string;
  title: BilingualText;
  version: string;
  /** The department whose supervision the classes serve (e.g. market-regulation). */
  owner: string;
  /** Which subjects the model classifies; others get no class from it. */
  subjectKinds: SubjectKind[];
  /** Departments told when a subject's class changes (record kind credit-class.changed). */
  publishTo: string[];
  /** Where the classification rests, cited from the instrument catalogue like a measure's basis. */
  legalBasis: { instrument: string; article: string }[];
  classes: CreditClassDefinition[];
  /** The class of a subject the engine has never seen (nothing on record): stated as such, `basis: 'default'`. */
  defaultClass: string;
  /** The class of a subject on record that no rule matches. */
  otherwiseClass: string;
  rules: CreditClassRule[];
}

export interface CreditClassDefinition {
  code: string;
  label: BilingualText;
}

export interface CreditClassRule {
  name: string;
  class: string;
  description: BilingualText;
  conditions: TopLevelCondition;
}

/** A model as loaded: the file, and the content hash of that file (its revision). */
export interface CreditClassModel extends CreditClassModelFile {
  revision: string;
}

/**
 * The facts a class rule may test, derived from what is in force about the subject on one
 * China date. Counts, so rules can say "at least one". `commitments.*` come from the recorded
 * credit commitments (CommitmentStanding in libs/engine), `selfDiscipline.*` from the
 * associations' decided sanctions (SelfDisciplineStanding there).
 */
export const CLASS_FACTS = [
  'subjectKind',
  'lists.black',
  'lists.keyAttention',
  'lists.red',
  'listCodes',
  'disputedEntries',
  'measures.serious',
  'measures.general',
  'measures.minor',
  'penalties.serious',
  'penalties.general',
  'penalties.minor',
  'commitments.broken',
  'commitments.kept',
  'commendations',
  'selfDiscipline.condemnations',
  'selfDiscipline.criticisms',
  'selfDiscipline.warnings',
] as const;
export type ClassFactName = (typeof CLASS_FACTS)[number];

export interface CreditClassFacts {
  subjectKind: SubjectKind;
  /** Active list entries in force, by list type. */
  'lists.black': number;
  'lists.keyAttention': number;
  'lists.red': number;
  /** The codes of the lists the subject is on, for a rule about one list. */
  listCodes: string[];
  /** Entries in force under an objection (异议): they still count, this says how many are contested. */
  disputedEntries: number;
  /** Sanctions in force against the subject itself, by the severity of the conduct behind them. */
  'measures.serious': number;
  'measures.general': number;
  'measures.minor': number;
  /** Administrative penalty decisions still within their publicity period, by severity. */
  'penalties.serious': number;
  'penalties.general': number;
  'penalties.minor': number;
  /** Credit commitments (信用承诺) broken and kept. */
  'commitments.broken': number;
  'commitments.kept': number;
  /** Commendations in force: red-list entries (honesty models, A-grade taxpayers). */
  commendations: number;
  /**
   * Industry associations' sanctions (行业自律) within their publicity and the five-year limit, by
   * kind: public condemnations (公开谴责), circulated criticism (行业内通报批评), warnings (警告).
   */
  'selfDiscipline.condemnations': number;
  'selfDiscipline.criticisms': number;
  'selfDiscipline.warnings': number;
}

// Fails to compile when CLASS_FACTS (what rules may name) and CreditClassFacts (what standing provides) differ.
const everyClassFactNamed: Record<Exclude<keyof CreditClassFacts, ClassFactName>, never> & Record<Exclude<ClassFactName, keyof CreditClassFacts>, never> = {};
void everyClassFactNamed;

/** The standing of a subject with nothing in force. */
export function noStanding(subjectKind: SubjectKind): CreditClassFacts {
  return {
    subjectKind,
    'lists.black': 0,
    'lists.keyAttention': 0,
    'lists.red': 0,
    listCodes: [],
    disputedEntries: 0,
    'measures.serious': 0,
    'measures.general': 0,
    'measures.minor': 0,
    'penalties.serious': 0,
    'penalties.general': 0,
    'penalties.minor': 0,
    'commitments.broken': 0,
    'commitments.kept': 0,
    commendations: 0,
    'selfDiscipline.condemnations': 0,
    'selfDiscipline.criticisms': 0,
    'selfDiscipline.warnings': 0,
  };
}

/** Whether the model classifies subjects of this identifier type at all (a subject never seen has no kind yet). */
export function classifiesIdentifierType(model: Pick<CreditClassModelFile, 'subjectKinds'>, idType: string): boolean {
  return idType === 'RESIDENT_ID' ? model.subjectKinds.includes('individual') : model.subjectKinds.some((kind) => kind !== 'individual');
}

export function classLabel(model: Pick<CreditClassModelFile, 'classes'>, code: string): BilingualText {
  return model.classes.find((c) => c.code === code)!.label;
}
