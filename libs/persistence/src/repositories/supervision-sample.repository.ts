import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DRAW_METHOD, Frequency } from '@app/domain';

/** A subject of a sample's population as stored: its id and the class it was drawn in. */
export interface StoredPopulationMember {
  id: string;
  class: string;
  basis: 'rule' | 'otherwise' | 'default';
}

/** One spot-check sample (supervision_sample) as every reader takes it. */
export interface SupervisionSampleRow {
  id: string;
  department: string;
  modelId: string;
  modelVersion: string;
  modelRevision: string;
  period: string;
  frequency: Frequency;
  method: typeof DRAW_METHOD;
  seed: string;
  populationDigest: string;
  population: StoredPopulationMember[];
  populationSources: { listed: number; classified: number };
  /** Per class: its ratio and frequency, whether it was due this period, its population and the number drawn. */
  strata: { class: string; inspectionRatio: number; frequency: Frequency; due: boolean; population: number; sampleSize: number }[];
  drawn: { id: string; class: string; rank: string }[];
  drawnBy: string | null;
  /** ISO instant. */
  drawnAt: string;
}

/** A stored class of an organisation as a draw reads it: with the model revision it was given under. */
export interface ClassifiedOrganisation extends StoredPopulationMember {
  modelRevision: string;
}

export type SupervisionSampleInput = Omit<SupervisionSampleRow, 'id' | 'drawnAt'> & { drawnAt: Date };

/** A sample without its population and drawn subjects: what a list shows. */
export type SupervisionSampleSummary = Omit<SupervisionSampleRow, 'population' | 'drawn' | 'seed'>;

const SUMMARY_COLUMNS = `id, department, model_id AS "modelId", model_version AS "modelVersion", model_revision AS "modelRevision", period, frequency, method,
  population_digest AS "populationDigest", population_sources AS "populationSources", strata, drawn_by AS "drawnBy",
  to_char(drawn_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "drawnAt"`;
const SAMPLE_COLUMNS = `${SUMMARY_COLUMNS}, seed, population, drawn`;

/** Spot-check samples, written once per department, model and period. */
@Injectable()
export class SupervisionSampleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The current class under `modelId` of each organisation listed in `ids`, and with
   * `includeClassified` of every organisation the model classified: at most `limit` rows, by id.
   */
  async classesOf(modelId: string, ids: readonly string[], includeClassified: boolean, limit: number): Promise<ClassifiedOrganisation[]> {
    return this.dataSource.query(
      `SELECT c.subject_id AS id, c.class, c.basis, c.model_revision AS "modelRevision" FROM credit_class c
       WHERE c.model_id = $1 AND c.subject_id_type = 'USCC' AND ($3 OR c.subject_id = ANY($2::text[]))
       ORDER BY c.subject_id LIMIT $4`,
      [modelId, ids, includeClassified, limit],
    );
  }

  /**
   * Store a sample unless its department already drew one for the model and period: then
   * `existing` is that sample's id. The unique constraint decides between simultaneous draws.
   */
  async insert(input: SupervisionSampleInput): Promise<{ row: SupervisionSampleRow } | { existing: string }> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO supervision_sample (department, model_id, model_version, model_revision, period, frequency, method, seed, population_digest,
         population, population_sources, strata, drawn, drawn_by, drawn_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15)
       ON CONFLICT ON CONSTRAINT uq_supervision_sample_period DO NOTHING
       RETURNING ${SAMPLE_COLUMNS}`,
      [
        input.department, input.modelId, input.modelVersion, input.modelRevision, input.period, input.frequency, input.method, input.seed,
        input.populationDigest, JSON.stringify(input.population), JSON.stringify(input.populationSources), JSON.stringify(input.strata),
        JSON.stringify(input.drawn), input.drawnBy, input.drawnAt,
      ],
    )) as SupervisionSampleRow[];
    if (row) return { row };
    const [existing] = (await this.dataSource.query(`SELECT id FROM supervision_sample WHERE department = $1 AND model_id = $2 AND period = $3`, [input.department, input.modelId, input.period])) as { id: string }[];
    return { existing: existing.id };
  }

  async find(id: string): Promise<SupervisionSampleRow | undefined> {
    const [row] = (await this.dataSource.query(`SELECT ${SAMPLE_COLUMNS} FROM supervision_sample WHERE id = $1`, [id])) as SupervisionSampleRow[];
    return row;
  }

  /** A department's samples, newest period first; one period's only when `period` is given. */
  async listForDepartment(department: string, period: string | null, limit: number): Promise<SupervisionSampleSummary[]> {
    return this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM supervision_sample WHERE department = $1 AND ($2::text IS NULL OR period = $2) ORDER BY period DESC, drawn_at DESC LIMIT $3`,
      [department, period, limit],
    );
  }
}
