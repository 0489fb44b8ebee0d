import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads measure terms by reference (they are written with the decisions that first cite them: DecisionRepository). */
@Injectable()
export class MeasureTermsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The canonical text of the terms, exactly as their reference hashes it; undefined if no decision cited them. */
  async canonical(ref: string): Promise<string | undefined> {
    const [row] = (await this.dataSource.query(`SELECT canonical FROM measure_terms WHERE ref = $1`, [ref])) as { canonical: string }[];
    return row?.canonical;
  }
}
