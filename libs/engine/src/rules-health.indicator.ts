import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CatalogueService } from './catalogue.service';
import { describeHold } from './release-hold';

/**
 * Readiness reports the rule set in force (its revision and memoranda) and whether a later edit
 * of rules/ was refused, never failing on that: the last good rule set keeps deciding. It fails
 * while batches are held (RULES_SOURCE=database): the release in force cannot be built here, or
 * the releases were not read within the approval lead; deciding under the release before would
 * be deciding under the wrong one. A release refused but not yet in force is reported, not failed
 * on. The reasons are in the log (file, JSON path, why); health, open to anyone who reaches the
 * port, gives versions, instants and counts.
 */
@Injectable()
export class RulesHealthIndicator {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'rules'): HealthIndicatorResult {
    return this.report(key, true);
  }

  protected report(key: string, failOnHold: boolean): HealthIndicatorResult {
    const now = new Date();
    const { ruleSet, release } = this.catalogue.rulesAt(now);
    const refusal = this.catalogue.lastRefusal;
    const refusedReleases = this.catalogue.refusedReleases;
    const hold = this.catalogue.holdAt(now);
    const details = {
      revision: ruleSet.revision,
      release: release?.version ?? null,
      memoranda: ruleSet.memoranda.length,
      ...(refusal ? { lastRefusal: { at: refusal.at.toISOString(), problems: refusal.problems.length, reason: 'an edit of the rule files was refused and the rule set above keeps deciding; see the log' } } : {}),
      ...(refusedReleases.length > 0 ? { refusedReleases: refusedReleases.map((r) => ({ version: r.version, effectiveAt: r.effectiveAt.toISOString(), refusedAt: r.at.toISOString(), problems: r.problems })) } : {}),
    };
    if (!hold) return this.indicators.check(key).up(details);
    const held = {
      ...details,
      held: { reason: hold.reason, ...(hold.reason === 'release-not-built' ? { version: hold.version, effectiveAt: hold.effectiveAt.toISOString() } : { lastReadAt: hold.lastReadAt?.toISOString() ?? null }), message: describeHold(hold) },
    };
    return failOnHold ? this.indicators.check(key).down(held) : this.indicators.check(key).up(held);
  }
}

/**
 * The rules as the apps that do not decide report them (ingest, query, console): a hold is shown
 * (`held`), never failed on. Intake only stores events, which the engines decide once the hold
 * ends; checks answer from what was decided; and the console is where the release that ends a
 * hold is approved, so none of them leaves the load balancer for it.
 */
@Injectable()
export class RulesReportIndicator extends RulesHealthIndicator {
  override check(key = 'rules'): HealthIndicatorResult {
    return this.report(key, false);
  }
}
