import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CatalogueService } from './catalogue.service';

/**
 * Readiness reports the rule set in force (its revision and memoranda) and whether a later edit
 * of rules/ was refused, never failing on it: the last good rule set keeps deciding. The reasons
 * are in the log (file, JSON path, why); health, open to anyone who reaches the port, says how
 * many there were and when.
 */
@Injectable()
export class RulesHealthIndicator {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'rules'): HealthIndicatorResult {
    const { ruleSet, release } = this.catalogue.rules;
    const refusal = this.catalogue.lastRefusal;
    return this.indicators.check(key).up({
      revision: ruleSet.revision,
      release: release?.version ?? null,
      memoranda: ruleSet.memoranda.length,
      ...(refusal ? { lastRefusal: { at: refusal.at.toISOString(), problems: refusal.problems.length, reason: 'an edit of the rule files was refused and the rule set above keeps deciding; see the log' } } : {}),
    });
  }
}
