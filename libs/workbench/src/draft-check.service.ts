import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ALL_EVENT_TYPES } from '@app/domain';
import { CatalogueService, RuleBase, RuleContentInForce, RulesInForceService } from '@app/engine';
import { checkRuleSources, CompiledRuleEvaluator, isMemorandumFileName, parseRuleCaseFile, RuleCaseFile, ruleCaseFileName, ruleCaseFilesOf, readRuleContent, RuleCheck, RuleContent, ruleContentFingerprint, RuleProblem, runRuleCase, RuleSet, ruleSourcesOf, withMemorandumFile } from '@app/rules';
import { ConsoleError, unknownMemorandum } from './console.errors';
import { DraftCaseRun, DraftCheck, DraftSource, DraftVocabulary, MemorandumDraft } from './draft-check';
import { caseView, MemorandumViewService } from './memorandum-view.service';

/** A draft is a memorandum file's text: a rule file of a few kilobytes; this bounds what one request makes the server parse. */
export const DRAFT_MAX_CHARS = 256 * 1024;

/**
 * A policy editor's draft of one memorandum, checked as the engine would check it: the rule set in
 * force (RulesInForceService: the release in force, or rules/) with this one file replaced, its
 * focused problems (checkRuleSources, the same as rules:check), and the memorandum's rule cases
 * (the draft's own, else those in force: the release's, else rules/'s) run on it with the engine's
 * evaluator. The schemas are rules/'s: releases do not carry them.
 * Nothing is written here: a draft becomes a release draft through `submission` and the release service.
 */
@Injectable()
export class DraftCheckService {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly views: MemorandumViewService,
    private readonly inForce: RulesInForceService,
  ) {}

  /** The memorandum's file and rule cases as they are in force, for the editor to open, and which release (or rules/) that is. */
  async source(id: string): Promise<DraftSource> {
    const inForce = await this.inForce.rules();
    const file = `${id}.json`;
    const text = isMemorandumFileName(file) ? inForce.content.memoranda[file] : undefined;
    if (text === undefined) throw unknownMemorandum(id);
    const casesFile = ruleCaseFileName(id);
    // A release made before releases kept cases is checked by those in rules/ (ruleCaseFilesOf): the editor opens those.
    const cases = inForce.content.cases?.[casesFile] ?? readRuleContent(this.config.RULES_DIR).cases?.[casesFile] ?? '';
    return { memorandum: id, file, content: text, casesFile, cases, base: inForce.base, vocabulary: this.vocabulary(inForce.ruleSet) };
  }

  private vocabulary(ruleSet: RuleSet): DraftVocabulary {
    return {
      departments: this.catalogue.departments.all().map((d) => ({ code: d.code, name: d.name })),
      lists: [...ruleSet.listsByCode.values()].map(({ list }) => ({ code: list.code, name: list.name })),
      instruments: ruleSet.instruments.instruments.filter((i) => !i.repealedOn).map((i) => ({ id: i.id, title: i.title })),
      eventTypes: [...ALL_EVENT_TYPES],
    };
  }

  /** The focused problems, and for a set the engine would take the memorandum rendered from the draft (its page's view). */
  async check(body: unknown): Promise<DraftCheck> {
    const inForce = await this.inForce.content();
    const draft = this.draftOf(body, inForce);
    const { ruleSet, refusal, errors, warnings } = await this.checked(draft, inForce);
    const memorandum = ruleSet?.memorandum(draft.memorandum);
    return {
      base: inForce.base,
      accepted: !refusal && errors.length === 0,
      ...(refusal ? { refusal } : {}),
      errors: [...errors],
      warnings: [...warnings],
      ...(ruleSet && memorandum ? { view: this.views.viewOfDraft(memorandum, ruleSet) } : {}),
    };
  }

  /**
   * The content of a release draft: the rule set in force now with this one file (and its rule
   * cases, when the draft carries them) replaced, so a change a release made elsewhere is kept,
   * never reverted to rules/; refused with CONSOLE.DRAFT_REFUSED and its focused problems when the
   * engine would refuse it. The release service checks it once more, rule cases included.
   */
  async submission(body: unknown): Promise<{ memorandum: string; base: RuleBase & { fingerprint: string }; content: RuleContent }> {
    const inForce = await this.inForce.content();
    const draft = this.draftOf(body, inForce);
    const { refusal, errors } = await this.checked(draft, inForce);
    if (refusal || errors.length > 0) {
      throw new ConsoleError('CONSOLE.DRAFT_REFUSED', `the draft of ${draft.file} has ${errors.length} problem${errors.length === 1 ? '' : 's'} the engine would refuse it for; fix them before submitting`, {
        refusal: refusal ?? 'RULES.INVALID_FILE',
        problems: [...errors],
      });
    }
    const { base, content } = inForce;
    return { memorandum: draft.memorandum, base: { ...base, fingerprint: ruleContentFingerprint(content) }, content: withMemorandumFile(content, draft.file, draft.content, draft.cases) };
  }

  async runCases(body: unknown): Promise<DraftCaseRun> {
    const inForce = await this.inForce.content();
    const draft = this.draftOf(body, inForce);
    const { ruleSet, refusal, errors, caseFiles } = await this.checked(draft, inForce);
    if (!ruleSet) return { accepted: false, ...(refusal ? { refusal } : {}), errors: [...errors], cases: [] };
    const evaluator = new CompiledRuleEvaluator(ruleSet);
    const cases = [];
    for (const file of caseFiles.filter((f) => f.memorandum === draft.memorandum)) {
      for (const ruleCase of file.cases) cases.push(caseView(await runRuleCase(file, ruleCase, ruleSet, evaluator), [...new Set(ruleCase.expect.measures.map((m) => m.code))]));
    }
    return { accepted: true, errors: [], cases };
  }

  /** The focused problems of the set in force with the draft in place, a broken rule-case text among them (one problem, on its file). */
  private async checked(draft: MemorandumDraft, inForce: RuleContentInForce): Promise<RuleCheck & { caseFiles: RuleCaseFile[] }> {
    const sources = ruleSourcesOf(withMemorandumFile(inForce.content, draft.file, draft.content), this.config.RULES_DIR);
    const { caseFiles, problem } = this.caseFiles(draft, inForce);
    const check = await checkRuleSources(
      sources,
      caseFiles.map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) })),
      { knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)), changed: new Set([draft.file]) },
    );
    return problem ? { ...check, ruleSet: undefined, errors: [...check.errors, problem], caseFiles } : { ...check, caseFiles };
  }

  /** Every memorandum's rule cases in force, the draft's own in place of its memorandum's when it carries them (or the problem with them). */
  private caseFiles(draft: MemorandumDraft, inForce: RuleContentInForce): { caseFiles: RuleCaseFile[]; problem?: RuleProblem } {
    const current = this.caseFilesInForce(inForce);
    if (draft.cases === undefined) return { caseFiles: current };
    const file = ruleCaseFileName(draft.memorandum);
    const refused = (message: string) => ({ caseFiles: current, problem: { severity: 'error' as const, file, path: '$', code: 'RULES.INVALID_CASES' as const, message } });
    let edited: RuleCaseFile;
    try {
      edited = parseRuleCaseFile(file, draft.cases);
    } catch (error) {
      return refused((error as Error).message);
    }
    return { caseFiles: [...current.filter((f) => f.file !== file), edited] };
  }

  /** The rule cases of the memoranda in force: the release's own, else those in rules/. */
  private caseFilesInForce(inForce: RuleContentInForce): RuleCaseFile[] {
    return ruleCaseFilesOf(inForce.content, this.config.RULES_DIR);
  }

  /** Only the file of a memorandum in force may be drafted here: a new memorandum is a later slice. */
  private draftOf(body: unknown, inForce: RuleContentInForce): MemorandumDraft {
    const { file, content, cases } = (body ?? {}) as { file?: unknown; content?: unknown; cases?: unknown };
    const match = typeof file === 'string' && isMemorandumFileName(file) ? /^(.+)\.json$/.exec(file) : null;
    const casesValid = cases === undefined || (typeof cases === 'string' && cases.length <= DRAFT_MAX_CHARS);
    if (!match || typeof content !== 'string' || content.length > DRAFT_MAX_CHARS || !casesValid) {
      throw new ConsoleError('CONSOLE.INVALID_DRAFT', `a draft is { file: "<memorandum id>.json", content: its text, cases?: the text of its rule cases; each of at most ${DRAFT_MAX_CHARS} characters }`);
    }
    if (inForce.content.memoranda[match[0]] === undefined) throw unknownMemorandum(match[1]);
    return { memorandum: match[1], file: match[0], content, ...(typeof cases === 'string' ? { cases } : {}) };
  }
}
