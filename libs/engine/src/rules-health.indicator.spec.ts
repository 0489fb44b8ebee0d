import { HealthIndicatorService } from '@nestjs/terminus';
import type { CatalogueService } from './catalogue.service';
import { RulesHealthIndicator, RulesReportIndicator } from './rules-health.indicator';

// A catalogue holding its batches for a release it cannot build: only what the indicators read of it.
const holding = {
  rulesAt: () => ({ ruleSet: { revision: 'sha256:0123456789abcdef', memoranda: [] }, release: { version: 3 } }),
  lastRefusal: undefined,
  refusedReleases: [],
  holdAt: () => ({ reason: 'release-not-built', version: 4, effectiveAt: new Date('2026-12-01T00:00:00Z'), refusal: null }),
} as unknown as CatalogueService;

describe('readiness of the rules during a release hold', () => {
  it('fails in the engine, which would decide under the wrong release', () => {
    const report = new RulesHealthIndicator(holding, new HealthIndicatorService()).check();
    expect(report.rules.status).toBe('down');
    expect(report.rules).toMatchObject({ release: 3, held: { reason: 'release-not-built', version: 4 } });
  });

  it('is reported, not failed on, by the apps that do not decide: intake still stores, checks answer, the console approves the way out', () => {
    const report = new RulesReportIndicator(holding, new HealthIndicatorService()).check();
    expect(report.rules.status).toBe('up');
    expect(report.rules).toMatchObject({ release: 3, held: { reason: 'release-not-built', version: 4, effectiveAt: '2026-12-01T00:00:00.000Z' } });
  });
});
