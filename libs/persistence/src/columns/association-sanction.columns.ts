import { AssociationSanction, departmentOf, EVENT_TYPES, MAX_SANCTION_PUBLICITY_MONTHS } from '@app/domain';
import type { AssociationSanctionFact } from '@app/rules';

/** An association's sanction as read from the event that carried it (inbound_event): the one row shape of every reader. */
export interface AssociationSanctionRow {
  eventId: string;
  source: string;
  data: { sanction: AssociationSanction; industry: string; reason: string; documentNumber: string; decidedOn: string; conductEndedOn: string | null };
}

/**
 * The decided sanctions of the subject `subjectId`/`idType` (SQL expressions) decided on or before
 * `today` (or later too, `upcoming`) and at most MAX_SANCTION_PUBLICITY_MONTHS earlier; which are still within their own
 * period (and within the five-year limit) is for selfDisciplineRecordOf, with the registry's months.
 * Only decided events, none the engine refused (one still in the inbox may yet be refused) and
 * none its association withdrew. The literal type matches the partial index ix_inbound_event_association_sanction.
 */
export function associationSanctionsSql(subjectId: string, idType: string, today: string | null, { upcoming = false }: { upcoming?: boolean } = {}): string {
  // Null `today`: every decided sanction, whenever (a withdrawal may name one whose publicity is over).
  // `upcoming`: those decided for a later day too (not shown yet), so a class can look again the day one is.
  const from = `(${today}::date - interval '${MAX_SANCTION_PUBLICITY_MONTHS} months')::date::text`;
  const window =
    today === null
      ? ''
      : upcoming
        ? `AND ie.envelope -> 'data' ->> 'decidedOn' >= ${from}`
        : `AND ie.envelope -> 'data' ->> 'decidedOn' BETWEEN ${from} AND ${today}::date::text`;
  // Only the sanction's own fields: the event's data also names the subject and its related persons, which no reader of this needs.
  return `SELECT ie.event_id AS "eventId", ie.source,
            jsonb_build_object('sanction', ie.envelope -> 'data' -> 'sanction', 'industry', ie.envelope -> 'data' -> 'industry', 'reason', ie.envelope -> 'data' -> 'reason',
                               'documentNumber', ie.envelope -> 'data' -> 'documentNumber', 'decidedOn', ie.envelope -> 'data' -> 'decidedOn',
                               'conductEndedOn', ie.envelope -> 'data' -> 'conductEndedOn') AS data
    FROM inbound_event ie
    WHERE ie.type = '${EVENT_TYPES.associationSanction}' AND ie.subject_id = ${subjectId} AND ie.status = 'processed'
      AND ie.envelope -> 'data' -> 'subject' ->> 'idType' = ${idType}
      -- A sanction the engine refused (every memorandum it matched found the conduct time-barred) is no record of anything.
      AND ie.outcome ->> 'status' IS DISTINCT FROM 'refused'
      ${window}
      -- Withdrawn (撤销) by the association that imposed it: the withdrawal names it by its document number (partial index ix_inbound_event_sanction_withdrawal).
      AND NOT EXISTS (
        SELECT 1 FROM inbound_event w
        WHERE w.type = '${EVENT_TYPES.associationSanctionWithdrawn}' AND w.subject_id = ie.subject_id AND w.source = ie.source AND w.status = 'processed'
          AND w.outcome ->> 'status' = 'applied' AND w.envelope -> 'data' -> 'subject' ->> 'idType' = ie.envelope -> 'data' -> 'subject' ->> 'idType'
          AND w.envelope -> 'data' ->> 'sanctionDocumentNumber' = ie.envelope -> 'data' ->> 'documentNumber')`;
}

export function associationSanctionFact(row: AssociationSanctionRow): AssociationSanctionFact {
  return {
    association: departmentOf(row.source) ?? row.source,
    sanction: row.data.sanction,
    industry: row.data.industry,
    reason: row.data.reason,
    documentNumber: row.data.documentNumber,
    decidedOn: row.data.decidedOn,
    ...(row.data.conductEndedOn ? { conductEndedOn: row.data.conductEndedOn } : {}),
    eventId: row.eventId,
  };
}
