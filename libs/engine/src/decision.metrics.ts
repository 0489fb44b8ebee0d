import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { chinaDate, Clock, departmentOf } from '@app/domain';
import { EngineStateRepository } from '@app/persistence';
import { CatalogueService } from './catalogue.service';
import { CLOCK } from './clock.token';
import type { ProcessedEvent } from './credit-event-processor.service';
import { RELEASE_HOLD_REASONS } from './release-hold';

export type DecisionTransport = 'postgres' | 'kafka';

/**
 * What the engine decides, the same whichever transport brings the events (the inbox table or
 * Kafka): events decided by department, type and outcome, decisions by memorandum, the time from
 * an event's arrival to its committed decision, the inbox's backlog, the rule set in force and its
 * refused edits, and the feedback overdue. Counted by the drivers once their transaction commits.
 */
@Injectable()
export class DecisionMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'credit_events_decided_total',
    help: 'Credit events decided and committed, by publishing department, event type and outcome (decided: at least one decision; no-decision; refused: a memorandum refused to act, e.g. conduct past its limit)',
    labelNames: ['department', 'type', 'outcome'],
    registers: [this.registry],
  });
  private readonly decisions = new Counter({ name: 'credit_decisions_total', help: 'Decisions made, by memorandum', labelNames: ['memorandum'], registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'credit_decision_latency_seconds',
    help: "From an event's arrival (accepted into the inbox, or appended to its Kafka topic) to its committed decision",
    labelNames: ['transport'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor(
    catalogue: CatalogueService,
    state: EngineStateRepository,
    @Inject(CLOCK) clock: Clock,
  ) {
    new Gauge({
      name: 'credit_rule_set_info',
      help: 'The rule set in force (1, labelled with its revision and memoranda count)',
      labelNames: ['revision', 'memoranda'],
      registers: [this.registry],
      collect() {
        this.reset();
        const { ruleSet } = catalogue.rules;
        this.set({ revision: ruleSet.revision, memoranda: String(ruleSet.memoranda.length) }, 1);
      },
    });
    new Gauge({
      name: 'credit_rule_set_refused',
      help: '1 while an edit of the rule files is refused and an older rule set keeps deciding',
      registers: [this.registry],
      collect() {
        this.set(catalogue.lastRefusal ? 1 : 0);
      },
    });
    new Counter({
      name: 'credit_rule_set_refusals_total',
      help: 'Edits of the rule files refused while running',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(catalogue.refusals);
      },
    });
    new Gauge({
      name: 'credit_rule_release_held',
      help: "1 while batches are held rather than decided under the wrong release (RULES_SOURCE=database), by reason: release-not-built (the release in force cannot be built against this engine's registry) or releases-not-read (not read within RELEASE_MIN_LEAD_MS)",
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        const hold = catalogue.holdAt(clock.now());
        for (const reason of RELEASE_HOLD_REASONS) this.set({ reason }, hold?.reason === reason ? 1 : 0);
      },
    });
    new Gauge({
      name: 'credit_rule_releases_refused',
      help: 'Approved releases, in force or to come, that this engine could not build (each holds the batches from its effective time)',
      registers: [this.registry],
      collect() {
        this.set(catalogue.refusedReleases.length);
      },
    });
    // One database read per scrape feeds the three backlog gauges.
    let pending: Promise<Awaited<ReturnType<EngineStateRepository['backlog']>> | undefined> | undefined;
    const backlog = () => (pending ??= state.backlog(chinaDate(clock.now())).catch(() => undefined).finally(() => setTimeout(() => (pending = undefined), 0)));
    new Gauge({
      name: 'credit_inbox_pending',
      help: 'Events accepted over HTTP and waiting in the inbox table to be decided (embedded transport; with Kafka see credit_events_consumer_lag)',
      registers: [this.registry],
      async collect() {
        const read = await backlog();
        if (read) this.set(read.inboxPending);
      },
    });
    new Gauge({
      name: 'credit_inbox_oldest_pending_seconds',
      help: 'How long the oldest event waiting in the inbox table has waited (0 when none waits)',
      registers: [this.registry],
      async collect() {
        const read = await backlog();
        if (read) this.set(read.inboxOldestSeconds);
      },
    });
    new Gauge({
      name: 'credit_feedback_overdue',
      help: 'Active measure tasks past their feedback due date without feedback, by implementing department',
      labelNames: ['department'],
      registers: [this.registry],
      async collect() {
        const read = await backlog();
        if (!read) return;
        this.reset();
        for (const { department, overdue } of read.overdueByDepartment) this.set({ department }, overdue);
      },
    });
  }

  /** After the transaction that stored them committed: `arrivedAt[i]` is when `processed[i]`'s event arrived, if known. */
  decided(processed: readonly ProcessedEvent[], transport: DecisionTransport, arrivedAt: readonly (Date | undefined)[], committedAt: Date): void {
    processed.forEach(({ event, decisions, refusals }, i) => {
      const outcome = decisions.length > 0 ? 'decided' : refusals.length > 0 ? 'refused' : 'no-decision';
      this.events.inc({ department: departmentOf(event.source) ?? 'unknown', type: event.type, outcome });
      for (const decision of decisions) this.decisions.inc({ memorandum: decision.memorandumId });
      const arrived = arrivedAt[i];
      if (arrived) this.latency.observe({ transport }, Math.max(0, (committedAt.getTime() - arrived.getTime()) / 1000));
    });
  }
}
