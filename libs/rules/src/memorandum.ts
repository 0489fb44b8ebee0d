import { BilingualText, RelatedPersonRole } from '@app/domain';
import { TopLevelCondition } from 'json-rules-engine';

/** A cooperation memorandum (合作备忘录) as policy staff write it in rules/<id>.json. */
export interface Memorandum {
  id: string;
  title: BilingualText;
  documentNumber: string;
  kind: 'sanction' | 'incentive';
  version: string;
  validity: { from: string; to?: string };
  list: ListDefinition;
  repair: { allowed: boolean; minimumDays?: number };
  measures: MeasureDefinition[];
  rules: RuleDefinition[];
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

export interface LegalBasis {
  instrument: string;
  article: string;
}

export interface MeasureDefinition {
  code: string;
  text: BilingualText;
  category: MeasureCategory;
  implementingDepartment: string;
  cooperatingDepartments?: string[];
  legalBasis: LegalBasis[];
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
