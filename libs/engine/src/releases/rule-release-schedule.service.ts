import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock, describeFailure, systemClock } from '@app/domain';
import { ApprovedReleaseTime, RuleReleaseEntity, RuleReleaseRepository } from '@app/persistence';
import { buildRuleSet, CompiledRuleEvaluator, formatProblem, RuleSetError, ruleSourcesOf } from '@app/rules';
import { ActiveRules, CatalogueService } from '../catalogue.service';
import { CLOCK } from '../clock.token';
import { describeHold, RefusedRelease, ReleaseHold, ReleaseHoldError } from '../release-hold';
import { releaseInForce, ScheduledRelease } from './release-in-force';

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
 * A refused release is built again after this, the wait doubling to RETRY_MAX_MS: what it was
 * refused for may pass without a restart (rule cases read from rules/, a file read that failed).
 * A poll that finds a release approved since tries at once. Its content is kept, not read again.
 */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

/** A refused release waiting for its next try. */
interface RetryOfRefused {
  release: RuleReleaseEntity;
  tries: number;
  nextTryAt: number;
}

/**
 * With RULES_SOURCE=database: the approved releases, each compiled as soon as the engine sees it
 * (it polls every RULES_RELOAD_INTERVAL_MS, each poll reading versions and effective times only;
 * content is read once, for a release not compiled yet), so the switch at the effective instant
 * costs a batch nothing. The catalogue asks it for the rules in force at a batch's decision instant.
 *
 * No batch is decided under the wrong release. An approval leads its effective time by
 * RELEASE_MIN_LEAD_MS, so what a poll read is complete for every instant before poll + lead; a
 * batch later than that is held (ReleaseHoldError, retriable) until the next poll. A release the
 * engine cannot build (its registry lacks a department the release names) is refused and logged;
 * until it takes effect the release before it decides, and from its instant the engine holds its
 * batches (readiness fails, credit_rule_release_held says why) until a later release supersedes
 * it or a try to build it again succeeds (with backoff, and at once when a release is approved
 * since; a registry lacking a department takes a restart, since the set of departments is fixed
 * for the life of the process). The last release built keeps deciding the instants before it.
 */
@Injectable()
export class RuleReleaseSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RuleReleaseSchedule.name);
  /** Every approved release still relevant (in force at the horizon, or later), built or not: what is in force when. */
  private approved: ScheduledRelease[] = [];
  private readonly compiled = new Map<number, CompiledRelease>();
  private readonly refusedReleases = new Map<number, RefusedRelease>();
  private readonly retries = new Map<number, RetryOfRefused>();
  /** Every version the last refresh listed: one not among them is an approval since. */
  private listed = new Set<number>();
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;
  /** When the last successful refresh began: what it read holds every release in force before this + RELEASE_MIN_LEAD_MS. */
  private readAt?: number;
  /** The hold last logged ("reason:version"), so a hold is logged when it begins and ends, not for every batch. */
  private loggedHold?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: CatalogueService,
    @Optional() private readonly releases?: RuleReleaseRepository,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
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
    this.pollLater();
  }

  /** Stops polling; waits for a refresh under way, so nothing reads the database after it closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** The rules of the release in force at `instant` that this engine built; undefined before the first (the rules/ files then). */
  rulesAt(instant: Date): ActiveRules | undefined {
    return releaseInForce([...this.compiled.values()], instant)?.rules;
  }

  /** Why a batch at `instant` may not be decided now, if it may not: see the class comment. */
  holdAt(instant: Date): ReleaseHold | undefined {
    if (this.readAt === undefined || instant.getTime() >= this.readAt + this.config.RELEASE_MIN_LEAD_MS) {
      return { reason: 'releases-not-read', lastReadAt: this.readAt === undefined ? null : new Date(this.readAt) };
    }
    const inForce = releaseInForce(this.approved, instant);
    if (!inForce || this.compiled.has(inForce.version)) return undefined;
    const refusal = this.refusedReleases.get(inForce.version);
    return { reason: 'release-not-built', version: inForce.version, effectiveAt: inForce.effectiveAt, refusal: refusal ? { at: refusal.at, problems: refusal.problems } : null };
  }

  /** Refuses (ReleaseHoldError, retriable) a batch at `instant` that holdAt says may not be decided. */
  assertCurrentAt(instant: Date): void {
    const hold = this.holdAt(instant);
    this.logHoldChange(hold);
    if (hold) throw new ReleaseHoldError(hold, instant);
  }

  /** The approved releases not yet superseded that this engine could not build, in order of taking effect. */
  get refused(): RefusedRelease[] {
    return [...this.refusedReleases.values()].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime() || a.version - b.version);
  }

  /** Read the approved releases' times; read and compile those not compiled yet: the one in force and those to come. */
  async refresh(now: Date = this.clock.now()): Promise<void> {
    const readAt = now.getTime();
    const times = await this.releases!.approvedTimes();
    const horizon = new Date(readAt - KEEP_PAST_MS);
    const first = releaseInForce(times, horizon);
    const wanted = times.filter((r) => r.effectiveAt.getTime() > horizon.getTime() || r.version === first?.version);
    const approvedSince = times.some((r) => !this.listed.has(r.version));
    for (const release of wanted) {
      if (this.compiled.has(release.version)) continue;
      const retry = this.retries.get(release.version);
      if (!retry) await this.build(release, now);
      else if (approvedSince || readAt >= retry.nextTryAt) this.buildAgain(retry, now);
    }
    const kept = new Set(wanted.map((r) => r.version));
    for (const version of [...this.compiled.keys(), ...this.refusedReleases.keys()]) {
      if (kept.has(version)) continue;
      this.compiled.delete(version);
      this.refusedReleases.delete(version);
      this.retries.delete(version);
    }
    this.listed = new Set(times.map((r) => r.version));
    this.approved = wanted.map((r) => ({ version: r.version, effectiveAt: r.effectiveAt }));
    this.readAt = readAt;
    this.logHoldChange(this.holdAt(now));
  }

  private pollLater(): void {
    if (this.stopped) return;
    const interval = this.config.RULES_RELOAD_INTERVAL_MS > 0 ? this.config.RULES_RELOAD_INTERVAL_MS : DEFAULT_POLL_MS;
    // Chained, not an interval: a slow read delays the next poll instead of overlapping it.
    this.timer = setTimeout(() => {
      this.inFlight = this.refresh()
        .catch((error: unknown) => this.logger.error(`releases not refreshed: ${describeFailure(error)}`))
        .finally(() => {
          this.inFlight = undefined;
          this.pollLater();
        });
    }, interval);
    this.timer.unref();
  }

  private async build(time: ApprovedReleaseTime, now: Date): Promise<void> {
    const release = await this.releases!.byVersion(time.version);
    if (!release) throw new Error(`release ${time.version} was listed as approved but could not be read`);
    if (release.approvalLeadMs !== null && release.approvalLeadMs < this.config.RELEASE_MIN_LEAD_MS) {
      // Its approver's server allows less lead than this engine's staleness window assumes: the engine may have decided past its instant before seeing it.
      this.logger.warn(`release ${release.version} was approved with a lead of ${release.approvalLeadMs} ms, less than this engine's RELEASE_MIN_LEAD_MS (${this.config.RELEASE_MIN_LEAD_MS} ms): give every app the same value`);
    }
    const compiled = this.compile(release);
    if ('problems' in compiled) {
      this.refusedReleases.set(release.version, { version: release.version, effectiveAt: release.effectiveAt!, at: now, problems: compiled.problems.length });
      this.retries.set(release.version, { release, tries: 1, nextTryAt: now.getTime() + RETRY_FIRST_MS });
      // The problems name files, JSON paths and registry codes of the rule content: no event, no resident.
      this.logger.error(`release ${release.version} refused: this engine cannot build it, and holds its batches from ${release.effectiveAt!.toISOString()} unless a later release supersedes it or a try to build it again (in ${RETRY_FIRST_MS / 1000} s) succeeds:\n${compiled.problems.join('\n')}`);
      return;
    }
    this.ready(compiled);
  }

  /** Another try at a refused release: built, it replaces the hold; refused again, the next try waits twice as long (up to RETRY_MAX_MS). */
  private buildAgain(retry: RetryOfRefused, now: Date): void {
    const { release } = retry;
    const compiled = this.compile(release);
    if ('problems' in compiled) {
      const waitMs = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** retry.tries);
      retry.tries++;
      retry.nextTryAt = now.getTime() + waitMs;
      this.refusedReleases.set(release.version, { ...this.refusedReleases.get(release.version)!, problems: compiled.problems.length });
      // Its problems were logged when first refused; a line a try (at most one per RETRY_MAX_MS once backed off) says it is still so.
      this.logger.warn(`release ${release.version} still cannot be built by this engine (${compiled.problems.length} problems, try ${retry.tries}); next try in ${Math.round(waitMs / 1000)} s`);
      return;
    }
    this.refusedReleases.delete(release.version);
    this.retries.delete(release.version);
    this.logger.log(`release ${release.version} built on try ${retry.tries + 1}, after it was refused`);
    this.ready(compiled);
  }

  private ready(compiled: CompiledRelease): void {
    this.compiled.set(compiled.version, compiled);
    this.logger.log(`release ${compiled.version} (${compiled.rules.ruleSet.revision}) ready, in force from ${compiled.effectiveAt.toISOString()}`);
  }

  private compile(release: RuleReleaseEntity): CompiledRelease | { problems: string[] } {
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
      return { problems: error instanceof RuleSetError ? error.problems.map(formatProblem) : [(error as Error).message] };
    }
  }

  private logHoldChange(hold: ReleaseHold | undefined): void {
    const key = hold ? `${hold.reason}:${hold.reason === 'release-not-built' ? hold.version : ''}` : undefined;
    if (key === this.loggedHold) return;
    if (hold) this.logger.error(`batches held: ${describeHold(hold)}`);
    else if (this.loggedHold) this.logger.log('batches no longer held: the release in force is built and the releases are current');
    this.loggedHold = key;
  }
}
