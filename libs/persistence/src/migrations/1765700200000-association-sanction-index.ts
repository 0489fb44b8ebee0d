import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A subject's self-discipline record reads the associations' sanctions from the events they
 * came in (inbound_event, where every accepted event is kept once): this partial index finds a
 * subject's few among all events without a scan. Events of other types are not in it.
 */
export class AssociationSanctionIndex1765700200000 implements MigrationInterface {
  name = 'AssociationSanctionIndex1765700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_inbound_event_association_sanction" ON "inbound_event" ("subject_id") WHERE type = 'credit.association.sanction.v1'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_inbound_event_association_sanction"`);
  }
}
