import { Injectable } from '@nestjs/common';
import { isMeasureTermsRef } from '@app/decision-log';
import { MeasureTermsRepository } from '@app/persistence';
import { QueryError } from '../query.errors';

/**
 * Resolves the `terms` reference of a measure in a decision.issued record: what the measure says
 * and rests on. No personal data is in terms, so any department may read any of them and the
 * read is not audited; the text is the one the reference hashes, so a subscriber may cache it
 * for good and check it.
 */
@Injectable()
export class MeasureTermsService {
  constructor(private readonly terms: MeasureTermsRepository) {}

  async canonical(ref: string): Promise<string> {
    if (!isMeasureTermsRef(ref)) throw new QueryError('MEASURE_TERMS.BAD_REF', 'a measure terms reference is mt- and 32 lower-case hex digits, as a record\'s measures[].terms gives it', {});
    const canonical = await this.terms.canonical(ref);
    if (canonical === undefined) throw new QueryError('MEASURE_TERMS.NOT_FOUND', 'no decision cites measure terms of this reference', { ref });
    return canonical;
  }
}
