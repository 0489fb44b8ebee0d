import type { BilingualText } from '@app/domain';
import type { RuleBase } from '@app/engine';
import type { RuleProblem, RuleSetErrorCode } from '@app/rules';
import type { MemorandumDraftView, RuleCaseView } from './memorandum-view';

/** A draft sent to be checked or run: an existing memorandum's file name and the edited text. */
export interface MemorandumDraft {
  memorandum: string;
  /** The rule file's name, e.g. `judgment-debtors.json`. */
  file: string;
  content: string;
  /**
   * The edited text of its rule cases (`<id>.cases.json`), when the editor changed them with the
   * rules: a change of what a memorandum decides comes with the cases that show it. Absent: the
   * cases in force.
   */
  cases?: string;
}

/** The registries' values a rule file names, for the editor to complete beside the schema's enums. */
export interface DraftVocabulary {
  departments: { code: string; name: BilingualText }[];
  lists: { code: string; name: BilingualText }[];
  instruments: { id: string; title: { zh: string; en?: string } }[];
  eventTypes: string[];
}

/** A memorandum's file as the editor opens it, with the values its fields may name. */
export interface DraftSource extends MemorandumDraft {
  /** The rule cases' file name and text in force (empty text when the memorandum has none yet). */
  casesFile: string;
  cases: string;
  /** What the file is taken from: the release in force, or rules/ (RULES_SOURCE=files, or before any release is in force). */
  base: RuleBase;
  vocabulary: DraftVocabulary;
}

/** The focused problems of the rule set with the draft in place of the file (checkRuleSources). */
export interface DraftCheck {
  /** The rule set in force the draft was checked in, which may have changed since the editor opened it. */
  base: RuleBase;
  accepted: boolean;
  refusal?: RuleSetErrorCode;
  errors: RuleProblem[];
  warnings: RuleProblem[];
  /** The memorandum as its page would render it from the draft; absent while the set is refused. */
  view?: MemorandumDraftView;
}

/** The memorandum's rule cases run on the draft set; none when the set is refused (its errors say why). */
export interface DraftCaseRun {
  accepted: boolean;
  refusal?: RuleSetErrorCode;
  errors: RuleProblem[];
  cases: RuleCaseView[];
}
