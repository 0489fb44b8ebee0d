import type { CreditEvent } from '@app/domain';
import type { PlannedDecision, PlannedRefusal } from '@app/rules';
import type { EngineStateRepository } from '@app/persistence';
import type { CatalogueService } from './catalogue.service';
import { DecisionMetrics } from './decision.metrics';

const event = (source: string, type: string) => ({ source, type }) as CreditEvent;
const decision = (memorandumId: string) => ({ memorandumId }) as PlannedDecision;

describe('DecisionMetrics', () => {
  const catalogue = { rules: { ruleSet: { revision: 'sha256:abc', memoranda: [{}, {}] } }, lastRefusal: undefined, refusals: 0, holdAt: () => undefined, refusedReleases: [] } as unknown as CatalogueService;
  const state = { backlog: async () => ({ inboxPending: 3, inboxOldestSeconds: 12.5, overdueByDepartment: [{ department: 'finance', overdue: 2 }] }) } as unknown as EngineStateRepository;

  it('counts events by department, type and outcome, decisions by memorandum, and the latency from arrival', async () => {
    const metrics = new DecisionMetrics(catalogue, state, { now: () => new Date('2026-12-01T02:00:00Z') });
    const committedAt = new Date('2026-12-01T02:00:01.500Z');
    metrics.decided(
      [
        { event: event('/departments/court', 'credit.judgment-debtor.listed.v1'), decisions: [decision('judgment-debtors'), decision('wage-arrears')], refusals: [] },
        { event: event('/departments/tax', 'credit.penalty.imposed.v1'), decisions: [], refusals: [] },
        { event: event('/departments/court', 'credit.judgment-debtor.listed.v1'), decisions: [], refusals: [{} as PlannedRefusal] },
      ],
      'postgres',
      [new Date('2026-12-01T02:00:00Z'), undefined, new Date('2026-12-01T02:00:01Z')],
      committedAt,
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('credit_events_decided_total{department="court",type="credit.judgment-debtor.listed.v1",outcome="decided"} 1');
    expect(text).toContain('credit_events_decided_total{department="tax",type="credit.penalty.imposed.v1",outcome="no-decision"} 1');
    expect(text).toContain('credit_events_decided_total{department="court",type="credit.judgment-debtor.listed.v1",outcome="refused"} 1');
    expect(text).toContain('credit_decisions_total{memorandum="judgment-debtors"} 1');
    expect(text).toContain('credit_decisions_total{memorandum="wage-arrears"} 1');
    // Two events had an arrival time: 1.5 s and 0.5 s.
    expect(text).toContain('credit_decision_latency_seconds_count{transport="postgres"} 2');
    expect(text).toContain('credit_decision_latency_seconds_sum{transport="postgres"} 2');
    expect(text).toContain('credit_decision_latency_seconds_bucket{le="1",transport="postgres"} 1');
  });

  it('reads the backlog, the overdue feedback and the rule set when scraped', async () => {
    const text = await new DecisionMetrics(catalogue, state, { now: () => new Date() }).registry.metrics();
    expect(text).toContain('credit_inbox_pending 3');
    expect(text).toContain('credit_inbox_oldest_pending_seconds 12.5');
    expect(text).toContain('credit_feedback_overdue{department="finance"} 2');
    expect(text).toContain('credit_rule_set_info{revision="sha256:abc",memoranda="2"} 1');
    expect(text).toContain('credit_rule_set_refused 0');
    expect(text).toContain('credit_rule_release_held{reason="release-not-built"} 0');
    expect(text).toContain('credit_rule_releases_refused 0');
  });

  it('says while batches are held because the release in force cannot be built, and how many releases were refused', async () => {
    const refused = { version: 7, effectiveAt: new Date('2026-12-01T02:00:00Z'), at: new Date('2026-12-01T01:00:00Z'), problems: 2 };
    const holding = { ...catalogue, holdAt: () => ({ reason: 'release-not-built', version: 7, effectiveAt: refused.effectiveAt, refusal: { at: refused.at, problems: 2 } }), refusedReleases: [refused] } as unknown as CatalogueService;
    const text = await new DecisionMetrics(holding, state, { now: () => new Date() }).registry.metrics();
    expect(text).toContain('credit_rule_release_held{reason="release-not-built"} 1');
    expect(text).toContain('credit_rule_release_held{reason="releases-not-read"} 0');
    expect(text).toContain('credit_rule_releases_refused 1');
  });
});
