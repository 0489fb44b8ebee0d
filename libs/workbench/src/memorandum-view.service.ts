import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { BilingualText, maskIdentifier } from '@app/domain';
import { CatalogueService, RulesInForce, RulesInForceService } from '@app/engine';
import { describeRule, DescriptionVocabulary, maskedRuleCaseOutcome, Memorandum, ruleCaseFilesOf, RuleCaseOutcome, runRuleCase, RuleSet } from '@app/rules';
import { unknownMemorandum } from './console.errors';
import { DepartmentRef, MemorandumDraftView, MemorandumSummary, MemorandumView, RuleCaseView } from './memorandum-view';

/**
 * The memoranda in force (RulesInForceService: the release in force, or rules/), rendered for a
 * person, with their rule cases in force (the release's own, else rules/'s) run by the engine's own evaluator.
 */
@Injectable()
export class MemorandumViewService {
  /** Case results of the rule set in force: they only change with it. */
  private cases?: { key: string; views: Map<string, RuleCaseView[]> };

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly inForce: RulesInForceService,
  ) {}

  async list(): Promise<MemorandumSummary[]> {
    const { ruleSet } = await this.inForce.rules();
    return ruleSet.memoranda.map((m) => ({
      id: m.id,
      title: m.title,
      documentNumber: m.documentNumber,
      kind: m.kind,
      version: m.version,
      list: { code: m.list.code, name: m.list.name },
      measures: m.measures.length,
      rules: m.rules.length,
    }));
  }

  async view(id: string): Promise<MemorandumView> {
    const inForce = await this.inForce.rules();
    const memorandum = inForce.ruleSet.memorandum(id);
    if (!memorandum) throw unknownMemorandum(id);
    return { ...this.rendered(memorandum, inForce.ruleSet), base: inForce.base, cases: (await this.caseOutcomes(inForce)).get(memorandum.id) ?? [] };
  }

  /**
   * A memorandum of a draft rule set as its page renders it (list, terms, measures with their
   * legal basis, rules in plain language), for the editor to show beside the text. Its rule
   * cases are run on demand (DraftCheckService.runCases), not with every keystroke's check.
   */
  viewOfDraft(memorandum: Memorandum, ruleSet: RuleSet): MemorandumDraftView {
    return this.rendered(memorandum, ruleSet);
  }

  private rendered(memorandum: Memorandum, ruleSet: RuleSet): MemorandumDraftView {
    const vocabulary = this.vocabulary(ruleSet);
    return {
      id: memorandum.id,
      title: memorandum.title,
      documentNumber: memorandum.documentNumber,
      kind: memorandum.kind,
      version: memorandum.version,
      revision: ruleSet.revision,
      validity: memorandum.validity,
      list: { ...memorandum.list, identifyingDepartment: this.department(memorandum.list.identifyingDepartment) },
      repair: { allowed: memorandum.repair.allowed, minimumDays: memorandum.repair.minimumDays },
      limitation: memorandum.limitation,
      measures: memorandum.measures.map((m) => ({
        code: m.code,
        text: m.text,
        category: m.category,
        implementingDepartment: this.department(m.implementingDepartment),
        cooperatingDepartments: (m.cooperatingDepartments ?? []).map((d) => this.department(d)),
        targets: m.targets,
        severityRequired: m.severityRequired,
        durationDays: m.durationDays,
        feedbackDueWorkingDays: m.feedbackDueWorkingDays,
        legalBasis: m.legalBasis.map((b) => ({
          instrument: { id: b.instrument.id, title: { zh: b.instrument.title.zh, en: b.instrument.title.en ?? b.instrument.title.zh }, level: b.instrument.level, documentNumber: b.instrument.documentNumber },
          article: b.article,
        })),
      })),
      rules: memorandum.rules.map((rule) => describeRule(rule, vocabulary)),
    };
  }

  private department(code: string): DepartmentRef {
    const registry = this.catalogue.departments;
    return { code, name: registry.has(code) ? registry.get(code).name : { zh: code, en: code } };
  }

  private vocabulary(ruleSet: RuleSet): DescriptionVocabulary {
    const registry = this.catalogue.departments;
    return {
      departmentName: (code) => (registry.has(code) ? registry.get(code).name : undefined),
      listName: (code): BilingualText | undefined => ruleSet.list(code)?.name,
    };
  }

  private async caseOutcomes({ base, content, ruleSet, evaluator }: RulesInForce): Promise<Map<string, RuleCaseView[]>> {
    // The cases are not part of the revision (they decide nothing): a release's own may differ from rules/'s for the same rules.
    const key = `${base.revision} ${base.release ?? base.source}`;
    if (this.cases?.key === key) return this.cases.views;
    const views = new Map<string, RuleCaseView[]>();
    for (const file of ruleCaseFilesOf(content, this.config.RULES_DIR)) {
      const list = views.get(file.memorandum) ?? views.set(file.memorandum, []).get(file.memorandum)!;
      for (const ruleCase of file.cases) {
        const outcome = await runRuleCase(file, ruleCase, ruleSet, evaluator);
        list.push(caseView(outcome, [...new Set(ruleCase.expect.measures.map((m) => m.code))]));
      }
    }
    this.cases = { key, views };
    return views;
  }
}

/**
 * Case events carry resident IDs (made-up ones, but shaped like real ones): a page shows each
 * entry's identifier masked by its type before it is formatted; one the event does not name is
 * masked as a resident's ID, the stricter.
 */
export function caseView(outcome: RuleCaseOutcome, measures: string[]): RuleCaseView {
  return { note: outcome.note, passed: outcome.passed, measures, ...maskedRuleCaseOutcome(outcome) };
}
