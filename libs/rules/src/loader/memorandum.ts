import { BilingualText, RelatedPersonRole } from '@app/domain';
import { TopLevelCondition } from 'json-rules-engine';
import type { Instrument } from './instrument-catalogue';

/**
 * A cooperation memorandum (合作备忘录) as a RuleSet holds it: its citations resolved
 * against the instrument catalogue. `MemorandumFile` is the same memorandum as policy
 * staff write it in rules/<id>.json, citing instruments by catalogue id.
 */
export interface Memorandum<Basis = LegalBasis> {
  id: string;
  title: BilingualText;
  documentNumber: string;
  kind: MemorandumKind;
  version: string;
  validity: { from: string; to?: string };
  list: ListDefinition;
  repair: RepairPolicy;
  /** Years after the conduct ended that its information may be a basis of sanctions; at most LEGAL_LIMITATION_YEARS. */
  limitation?: { years: number };
  measures: MeasureDefinition<Basis>[];
  rules: RuleDefinition[];
}

export type MemorandumFile = Memorandum<Citation>;

/** sanction = 失信联合惩戒; incentive = 守信联合激励. */
export type MemorandumKind = 'sanction' | 'incentive';

export interface RepairPolicy {
  /** 信用修复 of list entries: may the identifying department end an entry early? */
  allowed: boolean;
  /** Days an entry must have lasted: repair is accepted from validFrom + minimumDays. */
  minimumDays?: number;
  /** Minimum publicity of penalty-based measures (no list entry) before repair; defaults in DEFAULT_PENALTY_PUBLICITY. */
  penaltyPublicity?: Partial<PenaltyPublicity> & { minimumMonths?: Partial<PenaltyPublicity['minimumMonths']> };
}

export interface PenaltyPublicity {
  /** Counted from the penalty's decision date, or from the day the engine published its measures. */
  anchor: 'decided-on' | 'published-on';
  /** Months per penalty severity; null: not published, repairable at once. */
  minimumMonths: { minor: number | null; general: number; serious: number };
}

export type ListType = 'black' | 'red' | 'key-attention';

export interface ListDefinition {
  code: string;
  type: ListType;
  name: BilingualText;
  identifyingDepartment: string;
  defaultTermDays: number;
  maxTermDays: number;
  escalation?: { afterDays: number; toList: string; note: string };
}

export type MeasureCategory =
  | 'restrict'
  | 'deny'
  | 'key-supervision'
  | 'grade-downgrade'
  | 'publicity'
  | 'green-channel'
  | 'accept-missing-materials'
  | 'priority'
  | 'simplified-procedure'
  | 'fewer-inspections'
  | 'commendation';

export type MeasureTarget = 'subject' | RelatedPersonRole;

export type SeverityRequired = 'serious' | 'general' | 'any';

/** A citation as a rule file writes it: the id of an instrument in rules/instruments.json and the article relied on. */
export interface Citation {
  instrument: string;
  article: string;
}

/** A citation resolved against the catalogue: the catalogued instrument itself, and the article. */
export interface LegalBasis {
  instrument: Instrument;
  article: string;
}

export interface MeasureDefinition<Basis = LegalBasis> {
  code: string;
  text: BilingualText;
  category: MeasureCategory;
  implementingDepartment: string;
  cooperatingDepartments?: string[];
  legalBasis: Basis[];
  targets: MeasureTarget[];
  durationDays?: number;
  severityRequired: SeverityRequired;
  feedbackDueWorkingDays?: number;
}

export interface RuleDefinition {
  name: string;
  description: string;
  priority?: number;
  createsListEntry?: boolean;
  conditions: TopLevelCondition;
  measures: string[];
}
