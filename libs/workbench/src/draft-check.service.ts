import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ALL_EVENT_TYPES } from '@app/domain';
import { CatalogueService } from '@app/engine';
import { checkRuleSources, CompiledRuleEvaluator, loadRuleCaseFiles, readRuleContent, readRuleSources, RuleCheck, RuleContent, runRuleCase, RuleSources } from '@app/rules';
import { ConsoleError, unknownMemorandum } from './console.errors';
import { DraftCaseRun, DraftCheck, DraftSource, DraftVocabulary, MemorandumDraft } from './draft-check';
import { caseView, MemorandumViewService } from './memorandum-view.service';

/** A draft is a memorandum file's text: a rule file of a few kilobytes; this bounds what one request makes the server parse. */
export const DRAFT_MAX_CHARS = 256 * 1024;
const MEMORANDUM_FILE = /^([a-z0-9][a-z0-9-]{0,79})\.json$/;

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
    return { memorandum: id, file, content, vocabulary: this.vocabulary() };
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
      accepted: !refusal,
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
    return { memorandum: draft.memorandum, content: { ...inRules, memoranda: { ...inRules.memoranda, [draft.file]: draft.content } } };
  }

  async runCases(body: unknown): Promise<DraftCaseRun> {
    const draft = this.draftOf(body);
    const { ruleSet, refusal, errors } = await this.checked(draft);
    if (!ruleSet) return { accepted: false, ...(refusal ? { refusal } : {}), errors: [...errors], cases: [] };
    const evaluator = new CompiledRuleEvaluator(ruleSet);
    const cases = [];
    for (const file of loadRuleCaseFiles(this.config.RULES_DIR).filter((f) => f.memorandum === draft.memorandum)) {
      for (const ruleCase of file.cases) cases.push(caseView(await runRuleCase(file, ruleCase, ruleSet, evaluator), [...new Set(ruleCase.expect.measures.map((m) => m.code))]));
    }
    return { accepted: true, errors: [], cases };
  }

  private checked(draft: MemorandumDraft): Promise<RuleCheck> {
    const sources: RuleSources = readRuleSources(this.config.RULES_DIR);
    const others = sources.memoranda.filter((f) => basename(f.file) !== draft.file);
    const cases = loadRuleCaseFiles(this.config.RULES_DIR).map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) }));
    return checkRuleSources({ ...sources, memoranda: [...others, { file: draft.file, content: draft.content }] }, cases, {
      knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)),
      changed: new Set([draft.file]),
    });
  }

  /** Only an existing memorandum's file may be drafted here: a new memorandum is a later slice. */
  private draftOf(body: unknown): MemorandumDraft {
    const { file, content } = (body ?? {}) as { file?: unknown; content?: unknown };
    const match = typeof file === 'string' ? MEMORANDUM_FILE.exec(file) : null;
    if (!match || typeof content !== 'string' || content.length > DRAFT_MAX_CHARS) {
      throw new ConsoleError('CONSOLE.INVALID_DRAFT', `a draft is { file: "<memorandum id>.json", content: its text of at most ${DRAFT_MAX_CHARS} characters }`);
    }
    if (!this.catalogue.rules.ruleSet.memorandum(match[1])) throw unknownMemorandum(match[1]);
    return { memorandum: match[1], file: match[0], content };
  }
}
