import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DepartmentRegistry, DepartmentsInForce } from '@app/domain';
import { CompiledRuleEvaluator, formatProblem, listRuleSourceFiles, loadRuleSet, Memorandum, RuleEvaluator, RuleSet, RuleSetError } from '@app/rules';
import { DepartmentDirectory } from './departments/department-directory';
import { FilePoller } from './file-poller';
import type { RefusedRelease, ReleaseHold } from './release-hold';

export interface ActiveRules {
  ruleSet: RuleSet;
  evaluator: RuleEvaluator;
  memoranda: ReadonlyMap<string, Memorandum>;
  /** The release the rules are (RULES_SOURCE=database); null for the rules/ files. */
  release: { id: string; version: number } | null;
}

/** Where the rules in force at an instant come from when they are releases (RuleReleaseSchedule). */
export interface ReleasedRules {
  rulesAt(instant: Date): ActiveRules | undefined;
  /** Why a batch at `instant` must wait (the releases known may lack the one in force then, or it is not built); undefined if it may be decided. */
  holdAt(instant: Date): ReleaseHold | undefined;
  /** Throws (retriable) when holdAt gives a hold. */
  assertCurrentAt(instant: Date): void;
  /** Approved releases not yet superseded that could not be built here. */
  readonly refused: readonly RefusedRelease[];
}

/**
 * The departments registry and the rule set in force. Both are validated at start-up
 * (a broken file stops the boot). Afterwards rule files and the instrument catalogue are
 * re-read when they change (the engine watches them), and so is the departments file (every
 * app watches it: tokens rotate without a restart); a broken edit is refused with its reasons,
 * and the last good set keeps running. Warnings of the set taken up (e.g. a cited instrument
 * repealed soon) are logged each time.
 */
@Injectable()
export class CatalogueService implements DepartmentsInForce, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CatalogueService.name);
  readonly directory: DepartmentDirectory;
  private active: ActiveRules;
  private readonly files: FilePoller;
  private releases?: ReleasedRules;
  lastRefusal?: { at: Date; problems: string[] };
  /** Edits of the rule files refused since start-up. */
  refusals = 0;

  constructor(private readonly config: AppConfig) {
    this.directory = new DepartmentDirectory(config);
    this.active = this.load();
    this.files = new FilePoller(() => listRuleSourceFiles(config.RULES_DIR));
    this.logger.log(`rule set ${this.active.ruleSet.revision}: ${this.active.ruleSet.memoranda.length} memoranda, ${this.departments.all().length} departments`);
    this.logWarnings(this.active.ruleSet);
  }

  /** The registry in force; take it once per request, so one request never sees two. */
  get departments(): DepartmentRegistry {
    return this.directory.current;
  }

  onModuleInit(): void {
    this.directory.watch();
  }

  /** The rules in force now. */
  get rules(): ActiveRules {
    return this.rulesAt(new Date());
  }

  /** The rules in force at `instant`: the release in force then, or the rules/ files before any (or without releases). */
  rulesAt(instant: Date): ActiveRules {
    return this.releases?.rulesAt(instant) ?? this.active;
  }

  /** The rules to decide a batch at `instant` with: refused (retriable) while the releases known may lack the one in force then, or it is not built. */
  rulesToDecideAt(instant: Date): ActiveRules {
    this.releases?.assertCurrentAt(instant);
    return this.rulesAt(instant);
  }

  /** Why a batch at `instant` would be held rather than decided (RULES_SOURCE=database); undefined with the rules/ files. */
  holdAt(instant: Date): ReleaseHold | undefined {
    return this.releases?.holdAt(instant);
  }

  /** Approved releases this app could not build (RULES_SOURCE=database): each holds the batches from its effective time. */
  get refusedReleases(): readonly RefusedRelease[] {
    return this.releases?.refused ?? [];
  }

  /** Take the rules from releases from now on (RULES_SOURCE=database); the files stay the fallback before the first one. */
  useReleases(releases: ReleasedRules): void {
    this.releases = releases;
  }

  watch(intervalMs = this.config.RULES_RELOAD_INTERVAL_MS): void {
    this.files.start(intervalMs, () => this.reloadIfChanged());
  }

  reloadIfChanged(): boolean {
    if (!this.files.changed()) return false;
    try {
      const next = this.load();
      if (next.ruleSet.revision !== this.active.ruleSet.revision) {
        this.logger.log(`rule set reloaded: ${this.active.ruleSet.revision} → ${next.ruleSet.revision}`);
        this.active = next;
        this.lastRefusal = undefined;
        this.logWarnings(next.ruleSet);
        return true;
      }
    } catch (error) {
      const problems = error instanceof RuleSetError ? error.problems.map(formatProblem) : [(error as Error).message];
      this.lastRefusal = { at: new Date(), problems };
      this.refusals++;
      this.logger.error(`rule files refused, still running ${this.active.ruleSet.revision}:\n${problems.join('\n')}`);
    }
    return false;
  }

  onModuleDestroy(): void {
    this.files.stop();
    this.directory.stop();
  }

  private load(): ActiveRules {
    // A repeal does not stop the engine: the measures left without a basis stop firing and their tasks end (scheduler).
    const ruleSet = loadRuleSet(this.config.RULES_DIR, { knownDepartments: new Set(this.departments.all().map((d) => d.code)), repealedCitations: 'tolerate' });
    // Compiled conditions with json-rules-engine's exact semantics (differential tests in libs/rules).
    return { ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet), memoranda: new Map(ruleSet.memoranda.map((m) => [m.id, m])), release: null };
  }

  private logWarnings(ruleSet: RuleSet): void {
    if (ruleSet.warnings.length > 0) this.logger.warn(`rule set ${ruleSet.revision} accepted with warnings:\n${ruleSet.warnings.map(formatProblem).join('\n')}`);
  }
}
