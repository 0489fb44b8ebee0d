import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { describeFailure } from '@app/domain';
import { RuleReleaseEntity, RuleReleaseRepository } from '@app/persistence';
import { buildRuleSet, CompiledRuleEvaluator, formatProblem, RuleSetError, ruleSourcesOf } from '@app/rules';
import { ActiveRules, CatalogueService } from '../catalogue.service';
import { releaseInForce } from './release-in-force';

interface CompiledRelease {
  version: number;
  effectiveAt: Date;
  rules: ActiveRules;
}

/** Releases that took effect this long before a refresh stay compiled: a batch begun just before it still finds its own. */
const KEEP_PAST_MS = 60_000;
/** How often releases are polled when RULES_RELOAD_INTERVAL_MS turns file reloading off. */
const DEFAULT_POLL_MS = 1_000;

/**
 * The engine may not know every release in force at an instant: its last refresh is older than
 * the least lead an approval must give. Retriable: the batch waits (inbox, Kafka) and is decided
 * once the releases are read again, never under a release another engine has already left.
 */
export class ReleasesNotCurrentError extends Error {
  readonly retriable = true;
}

/**
 * With RULES_SOURCE=database: the approved releases, each compiled as soon as the engine sees it
 * (it polls every RULES_RELOAD_INTERVAL_MS; an approval must lead its effective time by
 * RELEASE_MIN_LEAD_MS), so the switch at the effective instant costs a batch nothing. The
 * catalogue asks it for the rules in force at a batch's decision instant. An approval leads its
 * effective time by RELEASE_MIN_LEAD_MS, so what a refresh read is complete for every instant
 * before refresh + lead; a batch later than that waits for the next refresh (ReleasesNotCurrentError)
 * rather than be decided under a release the others have left. A release the engine cannot build
 * (a department left the registry) is refused and logged; the one before stays.
 */
@Injectable()
export class RuleReleaseSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RuleReleaseSchedule.name);
  private scheduled: CompiledRelease[] = [];
  private readonly refused = new Set<number>();
  private timer?: NodeJS.Timeout;
  /** When the last successful refresh began: what it read holds every release in force before this + RELEASE_MIN_LEAD_MS. */
  private readAt?: number;
  lastRefusal?: { version: number; at: Date; problems: string[] };

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: CatalogueService,
    @Optional() private readonly releases?: RuleReleaseRepository,
  ) {}

  get enabled(): boolean {
    return this.config.RULES_SOURCE === 'database';
  }

  /** After the schema is migrated (module init) and before the inbox loop or the consumer starts deciding. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    if (!this.releases) throw new Error('RULES_SOURCE=database needs the database (PersistenceModule)');
    await this.refresh();
    this.catalogue.useReleases(this);
    const interval = this.config.RULES_RELOAD_INTERVAL_MS > 0 ? this.config.RULES_RELOAD_INTERVAL_MS : DEFAULT_POLL_MS;
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.error(`releases not refreshed: ${describeFailure(error)}`)), interval);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The rules of the release in force at `instant`; undefined before the first approved release (the rules/ files then). */
  rulesAt(instant: Date): ActiveRules | undefined {
    return releaseInForce(this.scheduled, instant)?.rules;
  }

  /** Refuses (retriable) an instant the releases last read may not cover: see the class comment. */
  assertCurrentAt(instant: Date): void {
    if (this.readAt === undefined || instant.getTime() >= this.readAt + this.config.RELEASE_MIN_LEAD_MS) {
      throw new ReleasesNotCurrentError(`the releases were last read ${this.readAt === undefined ? 'never' : new Date(this.readAt).toISOString()}: a release approved since could be in force at ${instant.toISOString()}`);
    }
  }

  /** Read the approved releases and compile those not compiled yet: the one in force and those to come. */
  async refresh(now: Date = new Date()): Promise<void> {
    const readAt = now.getTime();
    const approved = (await this.releases!.approved()).filter((r) => !this.refused.has(r.version));
    const horizon = new Date(now.getTime() - KEEP_PAST_MS);
    const first = releaseInForce(approved.map((r) => ({ version: r.version, effectiveAt: r.effectiveAt! })), horizon);
    const wanted = approved.filter((r) => r.effectiveAt!.getTime() > horizon.getTime() || r.version === first?.version);
    const known = new Map(this.scheduled.map((c) => [c.version, c]));
    const next: CompiledRelease[] = [];
    for (const release of wanted) {
      const compiled = known.get(release.version) ?? this.compile(release);
      if (compiled) next.push(compiled);
    }
    for (const c of next.filter((c) => !known.has(c.version))) {
      this.logger.log(`release ${c.version} (${c.rules.ruleSet.revision}) ready, in force from ${c.effectiveAt.toISOString()}`);
    }
    this.scheduled = next;
    this.readAt = readAt;
  }

  private compile(release: RuleReleaseEntity): CompiledRelease | undefined {
    try {
      const ruleSet = buildRuleSet(ruleSourcesOf(release.content, this.config.RULES_DIR), {
        knownDepartments: new Set(this.catalogue.departments.all().map((d) => d.code)),
        repealedCitations: 'tolerate',
      });
      return {
        version: release.version,
        effectiveAt: release.effectiveAt!,
        rules: { ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet), memoranda: new Map(ruleSet.memoranda.map((m) => [m.id, m])), release: { id: release.id, version: release.version } },
      };
    } catch (error) {
      const problems = error instanceof RuleSetError ? error.problems.map(formatProblem) : [(error as Error).message];
      this.refused.add(release.version);
      this.lastRefusal = { version: release.version, at: new Date(), problems };
      this.logger.error(`release ${release.version} refused, the release before it stays in force:\n${problems.join('\n')}`);
      return undefined;
    }
  }
}
