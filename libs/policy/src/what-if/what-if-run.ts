import { chinaDate, parseCreditEventFast, SubjectRef } from '@app/domain';
import { OUTCOME_CODES } from '@app/decision-log';
import { decideEvent, LIFECYCLE_EVENT_TYPES } from '@app/engine';
import { PlannedDecision } from '@app/rules';
import { DecisionDifference, diffDecisions } from './decision-diff';
import { footprintOfPlanned, footprintOfStored } from './decision-footprint';
import { HISTORY_PAGE_SIZE, HistoricEvent, HistoryExtent } from './history.reader';
import { maskSubject } from './subject-masking';
import { WhatIfSummary, WhatIfTally } from './what-if-tally';
import { SimulatedRules } from './draft-rule-set';

export type WhatIfState = 'running' | 'finished' | 'cancelled' | 'failed';

/** One line of the downloadable differences: one memorandum's decision about one event. */
export interface DifferenceRow {
  source: string;
  eventId: string;
  eventType: string;
  decidedAt: string;
  memorandumId: string;
  change: DecisionDifference['change'];
  /** Masked. */
  subject: string;
  measuresGained: string[];
  measuresLost: string[];
  measuresChanged: string[];
  listEntriesChanged: boolean;
}

/** Rows a run keeps for its CSV; past it the summary still counts everything and the run says the CSV is cut. */
export const MAX_DIFFERENCE_ROWS = 200_000;

/** The history a run reads, a page at a time (HistoryReader on PostgreSQL). */
export interface HistorySource {
  extent(from: Date, to: Date): Promise<HistoryExtent>;
  page(from: Date, to: Date, afterSeq: number, throughSeq: number): Promise<HistoricEvent[]>;
}

/** What the draft decides about one historic event: what the engine would have planned and stored. */
export async function simulateEvent(historic: HistoricEvent, rules: SimulatedRules): Promise<{ type: string; subject: SubjectRef; decisions: PlannedDecision[] }> {
  const event = parseCreditEventFast(historic.envelope);
  const subject = event.data.subject;
  // The engine applies lifecycle events (removal, repair, objections) to what is in force; they decide nothing new.
  if (LIFECYCLE_EVENT_TYPES.has(event.type)) return { type: event.type, subject, decisions: [] };
  // A repeat of a conduct another event holds (EVENT.CONDUCT_ALREADY_DECIDED) stays a repeat: under the draft the holder decides the same document.
  if (historic.outcome?.code === OUTCOME_CODES.conductAlreadyDecided) return { type: event.type, subject, decisions: [] };
  const { decisions } = await decideEvent(event, rules, chinaDate(historic.decidedAt));
  // A red-list grant the engine refused while the subject was blacklisted (list state at the time, which a replay has not got) stays refused.
  const refusedRed = historic.outcome?.code === OUTCOME_CODES.blacklisted ? new Set(historic.outcome.memoranda ?? []) : undefined;
  return { type: event.type, subject, decisions: refusedRed ? decisions.filter((d) => !(refusedRed.has(d.memorandumId) && d.listEntries.some((e) => e.listType === 'red'))) : decisions };
}

/** The differences of one historic event under the draft, and its decision counts before and after. */
export async function compareEvent(historic: HistoricEvent, rules: SimulatedRules): Promise<{ type: string; before: number; after: number; differences: DecisionDifference[] }> {
  const { type, subject, decisions } = await simulateEvent(historic, rules);
  const differences = diffDecisions(
    historic.decisions.map((d) => footprintOfStored(d, subject)),
    decisions.map((d) => footprintOfPlanned(d, subject)),
  );
  return { type, before: historic.decisions.length, after: decisions.length, differences };
}

/**
 * One simulation: the draft over every decided event of the period, compared with what was
 * decided, counted into a summary as it goes. Reading the next page overlaps deciding the
 * current one. Nothing is written.
 */
export class WhatIfRun {
  state: WhatIfState = 'running';
  total = 0;
  done = 0;
  readonly startedAt = new Date();
  finishedAt?: Date;
  failure?: string;
  readonly rows: DifferenceRow[] = [];
  rowsTruncated = false;
  private readonly tally = new WhatIfTally();
  private cancelRequested = false;
  private settle: () => void = () => undefined;
  /** Resolves once the run has stopped: finished, cancelled or failed. */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    readonly id: string,
    readonly period: { from: Date; to: Date },
    readonly rules: SimulatedRules,
    /** What was simulated: the draft's content hash, or the release named. */
    readonly label: string,
  ) {}

  get summary(): WhatIfSummary {
    return this.tally.summary();
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  async execute(history: HistorySource, onProgress: (done: number, total: number) => void = () => undefined): Promise<void> {
    try {
      const { from, to } = this.period;
      const { total, firstSeq, lastSeq } = await history.extent(from, to);
      this.total = total;
      onProgress(0, this.total);
      // Pages by ranges of sequence numbers up to the last one counted: events received later stay out of the run.
      const pageAfter = (after: number) => (after < lastSeq ? history.page(from, to, after, Math.min(after + HISTORY_PAGE_SIZE, lastSeq)) : undefined);
      let after = firstSeq - 1;
      let next = pageAfter(after);
      while (next && !this.cancelRequested) {
        const page = await next;
        after += HISTORY_PAGE_SIZE;
        next = pageAfter(after);
        for (const historic of page) await this.compare(historic);
        this.done += page.length;
        // An event of the period decided since the count (Kafka mode: received, then processed) moves the total, never past done.
        this.total = Math.max(this.total, this.done);
        onProgress(this.done, this.total);
      }
      await next?.catch(() => undefined);
      this.state = this.cancelRequested ? 'cancelled' : 'finished';
    } catch (error) {
      this.state = 'failed';
      this.failure = (error as Error).message;
    } finally {
      this.finishedAt = new Date();
      this.settle();
    }
  }

  private async compare(historic: HistoricEvent): Promise<void> {
    const { type, before, after, differences } = await compareEvent(historic, this.rules);
    this.tally.add(historic, { before, after }, differences);
    for (const d of differences) {
      if (this.rows.length >= MAX_DIFFERENCE_ROWS) {
        this.rowsTruncated = true;
        break;
      }
      const subject = maskSubject(d.subject);
      this.rows.push({
        source: historic.source,
        eventId: historic.eventId,
        eventType: type,
        decidedAt: historic.decidedAt.toISOString(),
        memorandumId: d.memorandumId,
        change: d.change,
        subject: `${subject.idType}:${subject.id} ${subject.name}`,
        measuresGained: d.measuresGained.map((m) => m.measureCode),
        measuresLost: d.measuresLost.map((m) => m.measureCode),
        measuresChanged: d.measuresChanged.map((c) => c.after.measureCode),
        listEntriesChanged: d.listEntriesChanged,
      });
    }
  }
}
