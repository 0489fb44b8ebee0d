import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock, systemClock } from '@app/domain';
import { RuleReleaseRepository } from '@app/persistence';
import { buildRuleSet, CompiledRuleEvaluator, readRuleContent, RuleContent, ruleContentRevision, RuleEvaluator, RuleSet, ruleSourcesOf } from '@app/rules';
import { CatalogueService } from '../catalogue.service';
import { CLOCK } from '../clock.token';
import { releaseInForce } from './release-in-force';

/** Where the rule content in force comes from, as the console shows it: "based on release N" or "the rules/ directory". */
export interface RuleBase {
  /** The release in force (RULES_SOURCE=database); null for the rules/ files (RULES_SOURCE=files, or no release in force yet). */
  release: number | null;
  source: 'release' | 'rules/';
  /** The content's rule-set revision (content hash). */
  revision: string;
}

/** The memoranda, catalogue and rule cases in force, and where they come from. */
export interface RuleContentInForce {
  base: RuleBase;
  content: RuleContent;
}

/** The same, built by the engine's loader with the engine's evaluator. */
export interface RulesInForce extends RuleContentInForce {
  ruleSet: RuleSet;
  evaluator: RuleEvaluator;
}

interface StoredContent {
  content: RuleContent;
  revision: string;
}

/** Versions whose content stays read: the one in force and the few before it that a page open across a switch may still ask for. */
const KEPT_VERSIONS = 4;

/**
 * The rule content in force now, the one base of everything that edits or shows the rules (a draft
 * is one memorandum file in place of its file in it; what-if, release drafts and memorandum pages
 * start from it). With RULES_SOURCE=files it is rules/; with RULES_SOURCE=database the release in
 * force at that instant, as the engines decide by it (releaseInForce over the approved times, read
 * on each call: a few rows), or rules/ before any release is in force. A release's content is read
 * once per version. The content carries the rule cases a release kept (ruleCaseFilesOf falls back
 * to rules/ for a memorandum without its own); the schemas always come from rules/.
 */
@Injectable()
export class RulesInForceService {
  private readonly contents = new Map<number, Promise<StoredContent>>();
  private built?: { revision: string; ruleSet: RuleSet; evaluator: RuleEvaluator };

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: CatalogueService,
    @Optional() private readonly releases?: RuleReleaseRepository,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  async content(now: Date = this.clock.now()): Promise<RuleContentInForce> {
    const version = await this.versionInForceAt(now);
    if (version === undefined) {
      const content = readRuleContent(this.config.RULES_DIR);
      return { base: { release: null, source: 'rules/', revision: ruleContentRevision(content) }, content };
    }
    const { content, revision } = await this.release(version);
    return { base: { release: version, source: 'release', revision }, content };
  }

  /** The content in force built into a rule set: the engine's own when it runs the same revision, else built here once per revision. */
  async rules(now: Date = this.clock.now()): Promise<RulesInForce> {
    const inForce = await this.content(now);
    const engine = this.catalogue.rulesAt(now);
    if (engine.ruleSet.revision === inForce.base.revision) return { ...inForce, ruleSet: engine.ruleSet, evaluator: engine.evaluator };
    if (this.built?.revision !== inForce.base.revision) {
      const ruleSet = buildRuleSet(ruleSourcesOf(inForce.content, this.config.RULES_DIR), {
        knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)),
        repealedCitations: 'tolerate',
      });
      this.built = { revision: inForce.base.revision, ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet) };
    }
    return { ...inForce, ruleSet: this.built.ruleSet, evaluator: this.built.evaluator };
  }

  private async versionInForceAt(now: Date): Promise<number | undefined> {
    if (this.config.RULES_SOURCE !== 'database') return undefined;
    if (!this.releases) throw new Error('RULES_SOURCE=database needs the database (PersistenceModule)');
    return releaseInForce(await this.releases.approvedTimes(), now)?.version;
  }

  /** An approved release never changes: its content is read once. */
  private release(version: number): Promise<StoredContent> {
    let stored = this.contents.get(version);
    if (!stored) {
      stored = this.read(version);
      this.contents.set(version, stored);
      // A failed read is not kept: the next call reads again.
      stored.catch(() => this.contents.delete(version));
      for (const kept of this.contents.keys()) if (this.contents.size > KEPT_VERSIONS && kept !== version) this.contents.delete(kept);
    }
    return stored;
  }

  private async read(version: number): Promise<StoredContent> {
    const release = await this.releases!.byVersion(version);
    if (!release) throw new Error(`release ${version} was listed as approved but could not be read`);
    return { content: release.content, revision: release.revision };
  }
}
