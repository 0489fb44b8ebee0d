import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ALL_EVENT_TYPES } from '@app/domain';
import { CatalogueService } from '@app/engine';
import { checkRuleSources, CompiledRuleEvaluator, isMemorandumFileName, loadRuleCaseFiles, parseRuleCaseFile, readRuleContent, readRuleSources, RuleCaseFile, ruleCaseFileName, RuleCheck, RuleContent, RuleProblem, runRuleCase, RuleSources } from '@app/rules';
import { ConsoleError, unknownMemorandum } from './console.errors';
import { DraftCaseRun, DraftCheck, DraftSource, DraftVocabulary, MemorandumDraft } from './draft-check';
import { caseView, MemorandumViewService } from './memorandum-view.service';

/** A draft is a memorandum file's text: a rule file of a few kilobytes; this bounds what one request makes the server parse. */
export const DRAFT_MAX_CHARS = 256 * 1024;


/**
 * A policy editor's draft of one memorandum, checked as the engine would check it: the rule set in
 * rules/ with this one file replaced, its focused problems (checkRuleSources, the same as
 * rules:check), and the memorandum's rule cases run on it with the engine's evaluator.
 * Nothing is written here: a draft becomes a release draft through `submission` and the release service.
 */
@Injectable()
export class DraftCheckService {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly views: MemorandumViewService,
  ) {}

  /** The memorandum's file as written, for the editor to open. */
  source(id: string): DraftSource {
    if (!this.catalogue.rules.ruleSet.memorandum(id)) throw unknownMemorandum(id);
    const file = `${id}.json`;
    // Drafts start from rules/: a memorandum in force only through a release (RULES_SOURCE=database) has no file there.
    let content: string;
    try {
      content = readFileSync(join(this.config.RULES_DIR, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw unknownMemorandum(id, 'in the rules directory to draft from');
    }
    const casesFile = ruleCaseFileName(id);
    const cases = readRuleContent(this.config.RULES_DIR).cases?.[casesFile] ?? '';
    return { memorandum: id, file, content, casesFile, cases, vocabulary: this.vocabulary() };
  }

  private vocabulary(): DraftVocabulary {
    const { ruleSet } = this.catalogue.rules;
    return {
      departments: this.catalogue.departments.all().map((d) => ({ code: d.code, name: d.name })),
      lists: [...ruleSet.listsByCode.values()].map(({ list }) => ({ code: list.code, name: list.name })),
      instruments: ruleSet.instruments.instruments.filter((i) => !i.repealedOn).map((i) => ({ id: i.id, title: i.title })),
      eventTypes: [...ALL_EVENT_TYPES],
    };
  }

  /** The focused problems, and for a set the engine would take the memorandum rendered from the draft (its page's view). */
  async check(body: unknown): Promise<DraftCheck> {
    const draft = this.draftOf(body);
    const { ruleSet, refusal, errors, warnings } = await this.checked(draft);
    const memorandum = ruleSet?.memorandum(draft.memorandum);
    return {
      accepted: !refusal && errors.length === 0,
      ...(refusal ? { refusal } : {}),
      errors: [...errors],
      warnings: [...warnings],
      ...(ruleSet && memorandum ? { view: this.views.viewOfDraft(memorandum, ruleSet) } : {}),
    };
  }

  /**
   * The content of a release draft: the rule set in rules/ (what drafts-from-rules submits) with
   * this one file replaced; refused with CONSOLE.DRAFT_REFUSED and its focused problems when the
   * engine would refuse it. The release service checks it once more, rule cases included.
   */
  async submission(body: unknown): Promise<{ memorandum: string; content: RuleContent }> {
    const draft = this.draftOf(body);
    const { refusal, errors } = await this.checked(draft);
    if (refusal || errors.length > 0) {
      throw new ConsoleError('CONSOLE.DRAFT_REFUSED', `the draft of ${draft.file} has ${errors.length} problem${errors.length === 1 ? '' : 's'} the engine would refuse it for; fix them before submitting`, {
        refusal: refusal ?? 'RULES.INVALID_FILE',
        problems: [...errors],
      });
    }
    const inRules = readRuleContent(this.config.RULES_DIR);
    const cases = draft.cases === undefined ? inRules.cases : { ...inRules.cases, [ruleCaseFileName(draft.memorandum)]: draft.cases };
    return { memorandum: draft.memorandum, content: { ...inRules, memoranda: { ...inRules.memoranda, [draft.file]: draft.content }, ...(cases ? { cases } : {}) } };
  }

  async runCases(body: unknown): Promise<DraftCaseRun> {
    const draft = this.draftOf(body);
    const { ruleSet, refusal, errors, caseFiles } = await this.checked(draft);
    if (!ruleSet) return { accepted: false, ...(refusal ? { refusal } : {}), errors: [...errors], cases: [] };
    const evaluator = new CompiledRuleEvaluator(ruleSet);
    const cases = [];
    for (const file of caseFiles.filter((f) => f.memorandum === draft.memorandum)) {
      for (const ruleCase of file.cases) cases.push(caseView(await runRuleCase(file, ruleCase, ruleSet, evaluator), [...new Set(ruleCase.expect.measures.map((m) => m.code))]));
    }
    return { accepted: true, errors: [], cases };
  }

  /** The focused problems of the set with the draft in place, a broken rule-case text among them (one problem, on its file). */
  private async checked(draft: MemorandumDraft): Promise<RuleCheck & { caseFiles: RuleCaseFile[] }> {
    const sources: RuleSources = readRuleSources(this.config.RULES_DIR);
    const others = sources.memoranda.filter((f) => basename(f.file) !== draft.file);
    const { caseFiles, problem } = this.caseFiles(draft);
    const check = await checkRuleSources(
      { ...sources, memoranda: [...others, { file: draft.file, content: draft.content }] },
      caseFiles.map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) })),
      { knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)), changed: new Set([draft.file]) },
    );
    return problem ? { ...check, ruleSet: undefined, errors: [...check.errors, problem], caseFiles } : { ...check, caseFiles };
  }

  /** Every memorandum's rule cases from rules/, the draft's own in place of its memorandum's when it carries them (or the problem with them). */
  private caseFiles(draft: MemorandumDraft): { caseFiles: RuleCaseFile[]; problem?: RuleProblem } {
    const inRules = loadRuleCaseFiles(this.config.RULES_DIR);
    if (draft.cases === undefined) return { caseFiles: inRules };
    const file = ruleCaseFileName(draft.memorandum);
    const refused = (message: string) => ({ caseFiles: inRules, problem: { severity: 'error' as const, file, path: '$', code: 'RULES.INVALID_CASES' as const, message } });
    let edited: RuleCaseFile;
    try {
      edited = parseRuleCaseFile(file, draft.cases);
    } catch (error) {
      return refused((error as Error).message);
    }
    if (edited.memorandum !== draft.memorandum) return refused(`${file} must name its memorandum: "memorandum": "${draft.memorandum}"`);
    return { caseFiles: [...inRules.filter((f) => f.file !== file), edited] };
  }

  /** Only an existing memorandum's file may be drafted here: a new memorandum is a later slice. */
  private draftOf(body: unknown): MemorandumDraft {
    const { file, content, cases } = (body ?? {}) as { file?: unknown; content?: unknown; cases?: unknown };
    const match = typeof file === 'string' && isMemorandumFileName(file) ? /^(.+)\.json$/.exec(file) : null;
    const casesValid = cases === undefined || (typeof cases === 'string' && cases.length <= DRAFT_MAX_CHARS);
    if (!match || typeof content !== 'string' || content.length > DRAFT_MAX_CHARS || !casesValid) {
      throw new ConsoleError('CONSOLE.INVALID_DRAFT', `a draft is { file: "<memorandum id>.json", content: its text, cases?: the text of its rule cases; each of at most ${DRAFT_MAX_CHARS} characters }`);
    }
    if (!this.catalogue.rules.ruleSet.memorandum(match[1])) throw unknownMemorandum(match[1]);
    return { memorandum: match[1], file: match[0], content, ...(typeof cases === 'string' ? { cases } : {}) };
  }
}
