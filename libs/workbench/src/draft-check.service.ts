import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ALL_EVENT_TYPES } from '@app/domain';
import { CatalogueService, RuleBase, RuleContentInForce, RulesInForceService } from '@app/engine';
import { checkRuleSources, CompiledRuleEvaluator, loadRuleCaseFiles, RuleCheck, RuleContent, runRuleCase, RuleSet, ruleSourcesOf } from '@app/rules';
import { ConsoleError, unknownMemorandum } from './console.errors';
import { DraftCaseRun, DraftCheck, DraftSource, DraftVocabulary, MemorandumDraft } from './draft-check';
import { caseView, MemorandumViewService } from './memorandum-view.service';

/** A draft is a memorandum file's text: a rule file of a few kilobytes; this bounds what one request makes the server parse. */
export const DRAFT_MAX_CHARS = 256 * 1024;
const MEMORANDUM_FILE = /^([a-z0-9][a-z0-9-]{0,79})\.json$/;

/**
 * A policy editor's draft of one memorandum, checked as the engine would check it: the rule set in
 * force (RulesInForceService: the release in force, or rules/) with this one file replaced, its focused problems (checkRuleSources, the same as
 * rules:check), and the memorandum's rule cases (from rules/: releases do not carry them) run on it
 * with the engine's evaluator.
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

  /** The memorandum's file as it is in force, for the editor to open, and which release (or rules/) that is. */
  async source(id: string): Promise<DraftSource> {
    const { base, content, ruleSet } = await this.inForce.rules();
    const file = `${id}.json`;
    const text = MEMORANDUM_FILE.test(file) ? content.memoranda[file] : undefined;
    if (text === undefined) throw unknownMemorandum(id);
    return { memorandum: id, file, content: text, base, vocabulary: this.vocabulary(ruleSet) };
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
      accepted: !refusal,
      ...(refusal ? { refusal } : {}),
      errors: [...errors],
      warnings: [...warnings],
      ...(ruleSet && memorandum ? { view: this.views.viewOfDraft(memorandum, ruleSet) } : {}),
    };
  }

  /**
   * The content of a release draft: the rule set in force now with this one file replaced (so a
   * change a release made elsewhere is kept, never reverted to rules/); refused with CONSOLE.DRAFT_REFUSED and its focused problems when the
   * engine would refuse it. The release service checks it once more, rule cases included.
   */
  async submission(body: unknown): Promise<{ memorandum: string; base: RuleBase; content: RuleContent }> {
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
    return { memorandum: draft.memorandum, base, content: { ...content, memoranda: { ...content.memoranda, [draft.file]: draft.content } } };
  }

  async runCases(body: unknown): Promise<DraftCaseRun> {
    const inForce = await this.inForce.content();
    const draft = this.draftOf(body, inForce);
    const { ruleSet, refusal, errors } = await this.checked(draft, inForce);
    if (!ruleSet) return { accepted: false, ...(refusal ? { refusal } : {}), errors: [...errors], cases: [] };
    const evaluator = new CompiledRuleEvaluator(ruleSet);
    const cases = [];
    for (const file of loadRuleCaseFiles(this.config.RULES_DIR).filter((f) => f.memorandum === draft.memorandum)) {
      for (const ruleCase of file.cases) cases.push(caseView(await runRuleCase(file, ruleCase, ruleSet, evaluator), [...new Set(ruleCase.expect.measures.map((m) => m.code))]));
    }
    return { accepted: true, errors: [], cases };
  }

  private checked(draft: MemorandumDraft, inForce: RuleContentInForce): Promise<RuleCheck> {
    // The schemas and the rule cases are rules/'s: releases carry memoranda and the catalogue only.
    const sources = ruleSourcesOf({ ...inForce.content, memoranda: { ...inForce.content.memoranda, [draft.file]: draft.content } }, this.config.RULES_DIR);
    const cases = loadRuleCaseFiles(this.config.RULES_DIR).map((c) => ({ memorandum: c.memorandum, events: c.cases.map((rc) => rc.event) }));
    return checkRuleSources(sources, cases, {
      knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)),
      changed: new Set([draft.file]),
    });
  }

  /** Only the file of a memorandum in force may be drafted here: a new memorandum is a later slice. */
  private draftOf(body: unknown, inForce: RuleContentInForce): MemorandumDraft {
    const { file, content } = (body ?? {}) as { file?: unknown; content?: unknown };
    const match = typeof file === 'string' ? MEMORANDUM_FILE.exec(file) : null;
    if (!match || typeof content !== 'string' || content.length > DRAFT_MAX_CHARS) {
      throw new ConsoleError('CONSOLE.INVALID_DRAFT', `a draft is { file: "<memorandum id>.json", content: its text of at most ${DRAFT_MAX_CHARS} characters }`);
    }
    if (inForce.content.memoranda[match[0]] === undefined) throw unknownMemorandum(match[1]);
    return { memorandum: match[1], file: match[0], content };
  }
}
