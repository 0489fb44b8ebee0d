import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { chinaDate } from '@app/domain';
import { AssociationSanctionFact, DEFAULT_PUBLICITY, SanctionPublicityMonths, selfDisciplineRecordOf, SelfDisciplineRecord } from '@app/rules';
import { associationSanctionFact, AssociationSanctionRow, associationSanctionsSql } from '../columns/association-sanction.columns';
import type { SubjectKey } from './subject-record.repository';

export interface SelfDisciplineOptions {
  /** China calendar date the record is read for (YYYY-MM-DD); today's by default. */
  today?: string;
  /** Months each association's sanctions are shown (the registry's `sanctionPublicityMonths`); the defaults otherwise. */
  publicity?: SanctionPublicityMonths;
}

/**
 * Industry associations' sanctions about a subject (行业自律), read from the events that carried
 * them: every decided credit.association.sanction.v1 is kept in inbound_event once, so no second
 * copy can drift from it. Not audited here: a caller that shows it to a department logs the read
 * (the credit check reads it within its own audited statement).
 */
@Injectable()
export class SelfDisciplineRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The subject's self-discipline record: sanctions within their publicity period, counted by
   * kind and grouped by association. A subject no association sanctioned has zero of each.
   */
  async selfDisciplineRecord(subject: SubjectKey, options: SelfDisciplineOptions = {}): Promise<SelfDisciplineRecord> {
    const today = options.today ?? chinaDate(new Date());
    const rows: AssociationSanctionRow[] = await this.dataSource.query(associationSanctionsSql('$1', '$2', '$3'), [subject.id, subject.idType, today]);
    return selfDisciplineRecordOf(rows.map(associationSanctionFact), today, options.publicity ?? DEFAULT_PUBLICITY);
  }

  /** The sanctions that may still be within their publicity on `today` (selfDisciplineRecordOf decides), read in the caller's transaction. */
  async sanctionFacts(manager: EntityManager, subject: SubjectKey, today: string): Promise<AssociationSanctionFact[]> {
    const rows: AssociationSanctionRow[] = await manager.query(`${associationSanctionsSql('$1', '$2', '$3')} ORDER BY ie.event_id`, [subject.id, subject.idType, today]);
    return rows.map(associationSanctionFact);
  }
}
