import { BilingualText } from '@app/domain';
import type { InstrumentLevel, MeasureCategory, MemorandumKind, RuleDescription, SeverityRequired } from '@app/rules';
import type { RuleBase } from '@app/engine';

/** A department as a page shows it: its code and its name (the code itself when the registry does not know it). */
export interface DepartmentRef {
  code: string;
  name: BilingualText;
}

export interface MemorandumSummary {
  id: string;
  title: BilingualText;
  documentNumber: string;
  kind: MemorandumKind;
  version: string;
  list: { code: string; name: BilingualText };
  measures: number;
  rules: number;
}

export interface LegalBasisView {
  instrument: { id: string; title: BilingualText; level: InstrumentLevel; documentNumber?: string };
  article: string;
}

export interface MeasureView {
  code: string;
  text: BilingualText;
  category: MeasureCategory;
  implementingDepartment: DepartmentRef;
  cooperatingDepartments: DepartmentRef[];
  targets: string[];
  severityRequired: SeverityRequired;
  durationDays?: number;
  feedbackDueWorkingDays?: number;
  legalBasis: LegalBasisView[];
}

/** A rule case's result under the rule set in force; identifiers in `missing`/`unexpected` masked. */
export interface RuleCaseView {
  note: string;
  passed: boolean;
  measures: string[];
  missing: string[];
  unexpected: string[];
  error?: string;
}

/** A memorandum as its page renders it, without the rule cases' results (a draft's are run on demand). */
export interface MemorandumDraftView extends Omit<MemorandumSummary, 'list' | 'measures' | 'rules'> {
  revision: string;
  validity: { from: string; to?: string };
  list: { code: string; type: string; name: BilingualText; identifyingDepartment: DepartmentRef; defaultTermDays: number; maxTermDays: number; escalation?: { afterDays: number; toList: string; note: string } };
  repair: { allowed: boolean; minimumDays?: number };
  limitation?: { years: number };
  measures: MeasureView[];
  rules: RuleDescription[];
}

export interface MemorandumView extends MemorandumDraftView {
  /** Where the memorandum in force comes from: the release in force, or rules/ (RULES_SOURCE=files, or before any release is in force). */
  base: RuleBase;
  cases: RuleCaseView[];
}
