import { csvCell } from '../performance/performance-report';
import { BulletinContent } from './bulletin.model';

const UTF8_BOM = '\uFEFF';

/** The bulletin's tables as one CSV (UTF-8 with BOM, CRLF): a `table` column says which table a row belongs to. */
export function renderBulletinCsv(content: BulletinContent, number: string): string {
  const header = ['table', 'number', 'period', 'department', 'name', 'rank', 'score', 'events', 'onTime', 'onTimeRate', 'tasks', 'withFeedback', 'feedbackRate', 'overdue', 'overdueBacklog', 'repairsApplied', 'repairsRefused', 'removalsApplied', 'removalsRefused', 'objectionsFiled', 'objectionsConfirmed', 'objectionsRevoked', 'memorandum', 'listCode', 'entries', 'subjects'];
  const blank = (n: number) => Array<string>(n).fill('');
  const ranking = content.lines.map((l) => ['ranking', number, content.period.label, l.department.code, l.department.name.zh, l.rank, l.score, l.events, l.onTime, l.onTimeRate, l.tasks, l.withFeedback, l.feedbackRate, l.overdue, l.overdueBacklog, ...blank(11)]);
  const lifecycle = content.lifecycle.map((x) => ['lifecycle', number, content.period.label, x.department, '', ...blank(10), x.repairs.applied, x.repairs.refused, x.removals.applied, x.removals.refused, x.objections.filed, x.objections.confirmed, x.objections.revoked, ...blank(4)]);
  const major = content.majorListings.map((m) => ['major-listings', number, content.period.label, m.identifyingDepartment, '', ...blank(17), m.memorandum, m.listCode, m.entries, m.subjects]);
  return UTF8_BOM + [header, ...ranking, ...lifecycle, ...major].map((row) => row.map((cell) => csvCell(cell as string | number | null)).join(',')).join('\r\n') + '\r\n';
}
