import type { RuleProblem, RuleSetErrorCode } from '@app/rules';
import type { MemorandumDraftView, RuleCaseView } from './memorandum-view';

/** A memorandum's file as the editor opens it. */
export interface DraftSource {
  memorandum: string;
  /** The rule file's name, e.g. `judgment-debtors.json`. */
  file: string;
  content: string;
}

/** A draft sent to be checked or run: an existing memorandum's file name and the edited text. */
export interface MemorandumDraft extends DraftSource {}

/** The focused problems of the rule set with the draft in place of the file (checkRuleSources). */
export interface DraftCheck {
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
