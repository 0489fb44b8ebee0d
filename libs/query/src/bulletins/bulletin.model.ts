import { BilingualText } from '@app/domain';
import type { PerformanceReport } from '../performance/performance-report';
import type { BulletinPeriod } from './bulletin-period';

/** What the lifecycle events a department published in the period came to (from their stored outcomes). */
export interface LifecycleTally {
  department: string;
  repairs: { applied: number; refused: number; noEffect: number };
  removals: { applied: number; refused: number; noEffect: number };
  objections: { filed: number; confirmed: number; revoked: number };
}

/** Blacklist entries (严重失信主体名单) the period added, per memorandum and identifying department. */
export interface MajorListings {
  memorandum: string;
  listCode: string;
  identifyingDepartment: string;
  entries: number;
  subjects: number;
}

/** One department's line: its figures and its place. */
export interface BulletinLine {
  department: { code: string; name: BilingualText };
  /** 1 for the best; null for a department with nothing to assess (no event, no task). */
  rank: number | null;
  /** The mean of the rates it has (on-time publication, feedback), less a quarter of its overdue share; null when it has neither. */
  score: number | null;
  events: number;
  onTime: number;
  onTimeRate: number | null;
  tasks: number;
  withFeedback: number;
  feedbackRate: number | null;
  overdue: number;
  overdueBacklog: number;
}

/**
 * A situation bulletin (情况通报) as issued: the figures it was built from, kept whole so every
 * rendering later says what was issued. Pure: built from the period's performance report, the
 * lifecycle tallies and the blacklist additions.
 */
export interface BulletinContent {
  period: BulletinPeriod;
  asOf: string;
  publicationDeadlineWorkingDays: number;
  lines: BulletinLine[];
  lifecycle: LifecycleTally[];
  majorListings: MajorListings[];
  totals: { events: number; onTime: number; tasks: number; withFeedback: number; overdue: number; repairs: number; objections: number; blacklisted: number };
}

/** How much an overdue share weighs against the rates in the score. */
export const OVERDUE_WEIGHT = 0.25;

/**
 * The score the ranking orders by (利州方案 三(三) asks the credit office to assess departments):
 * the mean of the on-time publication and feedback rates the department has, less
 * OVERDUE_WEIGHT × its share of overdue tasks; null when it has neither rate.
 */
export function scoreOf(line: Pick<BulletinLine, 'onTimeRate' | 'feedbackRate' | 'tasks' | 'overdue'>): number | null {
  const rates = [line.onTimeRate, line.feedbackRate].filter((rate): rate is number => rate !== null);
  if (rates.length === 0) return null;
  const overdueShare = line.tasks === 0 ? 0 : line.overdue / line.tasks;
  return round4(Math.max(0, rates.reduce((a, b) => a + b, 0) / rates.length - OVERDUE_WEIGHT * overdueShare));
}

export function buildBulletinContent(input: { period: BulletinPeriod; performance: PerformanceReport; lifecycle: readonly LifecycleTally[]; majorListings: readonly MajorListings[] }): BulletinContent {
  const { performance } = input;
  const unranked = performance.departments.map((d) => {
    const line = {
      department: d.department,
      events: d.publication.events,
      onTime: d.publication.onTime,
      onTimeRate: d.publication.onTimeRate,
      tasks: d.tasks.received,
      withFeedback: d.tasks.withFeedback,
      feedbackRate: d.tasks.feedbackRate,
      overdue: d.tasks.overdue,
      overdueBacklog: d.tasks.overdueBacklog,
    };
    return { ...line, score: scoreOf(line) };
  });
  // Best score first; a tie goes to fewer overdue tasks, then to more events, then by code (stable).
  const order = [...unranked].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.overdue - b.overdue || b.events - a.events || (a.department.code < b.department.code ? -1 : 1));
  let rank = 0;
  const lines = order.map((line) => ({ ...line, rank: line.score === null ? null : ++rank }));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    period: input.period,
    asOf: performance.asOf,
    publicationDeadlineWorkingDays: performance.publicationDeadlineWorkingDays,
    lines,
    lifecycle: [...input.lifecycle],
    majorListings: [...input.majorListings],
    totals: {
      events: sum(lines.map((l) => l.events)),
      onTime: sum(lines.map((l) => l.onTime)),
      tasks: sum(lines.map((l) => l.tasks)),
      withFeedback: sum(lines.map((l) => l.withFeedback)),
      overdue: sum(lines.map((l) => l.overdue)),
      repairs: sum(input.lifecycle.map((t) => t.repairs.applied)),
      objections: sum(input.lifecycle.map((t) => t.objections.filed)),
      blacklisted: sum(input.majorListings.map((m) => m.entries)),
    },
  };
}

/** How many departments have a place. */
export function rankedCount(content: BulletinContent): number {
  return content.lines.filter((line) => line.rank !== null).length;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
