import { csvCell } from '@app/query';
import { DifferenceRow } from './what-if-run';

export const WHAT_IF_CSV_COLUMNS = ['source', 'event_id', 'event_type', 'decided_at', 'memorandum_id', 'change', 'subject', 'measures_gained', 'measures_lost', 'measures_changed', 'list_entries_changed'] as const;

/** The differences as RFC 4180 CSV (CRLF lines, quoted where needed), measure codes space-separated in their cells. */
export function differencesCsv(rows: readonly DifferenceRow[]): string {
  const lines = [WHAT_IF_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.source, r.eventId, r.eventType, r.decidedAt, r.memorandumId, r.change, r.subject, r.measuresGained.join(' '), r.measuresLost.join(' '), r.measuresChanged.join(' '), String(r.listEntriesChanged)]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
