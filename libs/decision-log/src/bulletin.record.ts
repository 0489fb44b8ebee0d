import { deterministicUuid } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { BULLETIN_ISSUED_KIND, BULLETIN_RECORD_SCHEMA_VERSION, BulletinIssuedKind } from './record-kinds';

/**
 * A situation bulletin was issued (情况通报): its number and period, where to read it, and the
 * receiving department's own line of it (its figures and its place in the ranking), so a
 * department learns how it was assessed without opening the whole bulletin.
 */
export interface BulletinIssuedRecord {
  schemaVersion: typeof BULLETIN_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: BulletinIssuedKind;
  department: string;
  bulletinId: string;
  number: string;
  period: { kind: 'month' | 'quarter'; label: string; from: string; to: string };
  /** Paths on the query API: JSON, HTML, PDF and the tables as CSV. */
  links: { json: string; html: string; pdf: string; csv: string };
  /** This department's line, or null for a department with nothing to assess in the period. */
  own: { rank: number | null; score: number | null; events: number; onTimeRate: number | null; tasks: number; feedbackRate: number | null; overdue: number } | null;
  /** How many departments were ranked. */
  ranked: number;
  issuedAt: string;
  causeKey: string;
}

export type BulletinIssuedInput = FeedRecordEnvelope<BulletinIssuedRecord>;

export interface IssuedBulletin {
  id: string;
  number: string;
  period: BulletinIssuedRecord['period'];
  issuedAt: Date;
  lines: ReadonlyMap<string, BulletinIssuedRecord['own']>;
  ranked: number;
}

/** One record per department told, with an id fixed by the bulletin and the department (a redone transaction writes the same). */
export function bulletinIssuedRecords(bulletin: IssuedBulletin, departments: readonly string[]): BulletinIssuedInput[] {
  const base = `/v1/bulletins/${encodeURIComponent(bulletin.number)}`;
  const causeKey = `bulletin/${bulletin.number}`;
  return departments.map((department) => {
    const recordId = deterministicUuid('bulletin-issued', bulletin.id, department);
    return {
      recordId,
      department,
      kind: BULLETIN_ISSUED_KIND,
      decisionId: bulletin.id,
      subjectId: bulletin.number,
      causeKey,
      payload: {
        schemaVersion: BULLETIN_RECORD_SCHEMA_VERSION,
        recordId,
        kind: BULLETIN_ISSUED_KIND,
        department,
        bulletinId: bulletin.id,
        number: bulletin.number,
        period: bulletin.period,
        links: { json: base, html: `${base}.html`, pdf: `${base}.pdf`, csv: `${base}.csv` },
        own: bulletin.lines.get(department) ?? null,
        ranked: bulletin.ranked,
        issuedAt: bulletin.issuedAt.toISOString(),
        causeKey,
      },
    };
  });
}
