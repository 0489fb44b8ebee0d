import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions stored while every signatory of a memorandum was an addressee keep only the
 * departments the rule now names (decision planner, addresseesOf): the publisher of the cause
 * event, the list's identifying department, and those that implement or cooperate in one of the
 * decision's tasks. Their later lifecycle records then reach only those. Records already sent
 * stay as they were.
 */
export class MinimalAddressees1765238400000 implements MigrationInterface {
  name = 'MinimalAddressees1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Set-wise (one hash aggregate), not a subquery per decision: list_entry has no index on decision_id.
    await queryRunner.query(`
      WITH parties AS (
        SELECT id AS decision_id, substring(cause_event_source FROM '^/departments/(.+)$') AS department FROM decision
        UNION SELECT decision_id, identifying_department FROM list_entry
        UNION SELECT decision_id, implementing_department FROM measure_task
        UNION SELECT decision_id, jsonb_array_elements_text(cooperating_departments) FROM measure_task
      ), addressed AS (
        SELECT decision_id, jsonb_agg(department ORDER BY department) AS addressees FROM parties WHERE department IS NOT NULL GROUP BY decision_id
      )
      UPDATE decision d SET record = jsonb_set(d.record, '{addressees}', a.addressees)
      FROM addressed a WHERE a.decision_id = d.id AND d.record ? 'addressees'`);
  }

  async down(): Promise<void> {
    // Who else signed the memorandum is not kept with the decision: the wider lists cannot be rebuilt, nor should they be.
  }
}
