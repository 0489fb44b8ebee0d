import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * query_audit becomes hash chains the apps cannot rewrite:
 * - each row carries `prev_hash` and `hash = sha256(prev_hash || canonical row)`, computed by a
 *   BEFORE INSERT trigger under a row lock on its lane's head in `query_audit_chain`, so writers
 *   of a lane are serialised and ids follow the lane's chain. 32 interleaved lanes (the
 *   connection's backend pid picks one), because the lock is held until commit: a single chain
 *   serialised every check's commit and, at 16 connections, let through about a fifth of the
 *   inserts the table takes without it (npm run bench -- --only=audit-chain);
 * - the canonical row is `jsonb_strip_nulls(to_jsonb(row) - 'hash' - 'prev_hash')::text` in UTC
 *   (the lane and the id are in it, so moving a row between lanes shows too):
 *   a nullable column added later is null (absent) in older rows and leaves their hashes as
 *   they were. (A column added with a non-null default would change them: don't.)
 * - the retention purge is a SECURITY DEFINER function that refuses rows younger than 1826
 *   days (five years), deletes only a prefix (by id) and keeps each lane's last purged hash as
 *   that lane's anchor; the append-only trigger lets a DELETE through only inside it;
 * - existing rows are chained in id order in lane 0 here (backfill).
 * `npm run audit:verify` walks the chains (libs/engine/src/audit/audit-chain.service.ts).
 */
export class QueryAuditChain1764979200001 implements MigrationInterface {
  name = 'QueryAuditChain1764979200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ schema, sequence }] = (await queryRunner.query(`SELECT current_schema() AS schema, pg_get_serial_sequence('query_audit', 'id') AS sequence`)) as {
      schema: string;
      sequence: string;
    }[];
    // Functions that run as the owner resolve names in this schema only (never the caller's temp schema first).
    const pinned = `SET search_path = pg_catalog, "${schema.replace(/"/g, '""')}", pg_temp`;
    const genesis = `'\\x${'00'.repeat(32)}'::bytea`;
    const lanes = 32;

    await queryRunner.query(`
      CREATE TABLE "query_audit_chain" (
        "lane" smallint PRIMARY KEY CHECK ("lane" >= 0 AND "lane" < ${lanes}),
        "anchor_id" bigint NOT NULL,
        "anchor_hash" bytea NOT NULL,
        "head_id" bigint NOT NULL,
        "head_hash" bytea NOT NULL,
        "last_purge_at" timestamptz
      )`);
    await queryRunner.query(`ALTER TABLE "query_audit" ADD "chain_lane" smallint, ADD "prev_hash" bytea, ADD "hash" bytea`);

    await queryRunner.query(`
      CREATE FUNCTION "query_audit_row_hash"(previous bytea, entry "query_audit") RETURNS bytea
        LANGUAGE sql STABLE ${pinned} SET TimeZone = 'UTC'
        AS $$ SELECT sha256(previous || convert_to(jsonb_strip_nulls(to_jsonb(entry) - 'hash' - 'prev_hash')::text, 'UTF8')) $$`);

    // Backfill: the rows so far, in id order, from the genesis hash.
    await queryRunner.query(`ALTER TABLE "query_audit" DISABLE TRIGGER "query_audit_append_only"`);
    await queryRunner.query(`
      DO $$
      DECLARE
        entry "query_audit";
        previous bytea := ${genesis};
        last_id bigint := 0;
      BEGIN
        FOR entry IN SELECT * FROM "query_audit" ORDER BY id LOOP
          entry.chain_lane := 0;
          UPDATE "query_audit" SET chain_lane = 0, prev_hash = previous, hash = query_audit_row_hash(previous, entry) WHERE id = entry.id RETURNING hash INTO previous;
          last_id := entry.id;
        END LOOP;
        INSERT INTO "query_audit_chain" (lane, anchor_id, anchor_hash, head_id, head_hash) VALUES (0, 0, ${genesis}, last_id, previous);
        INSERT INTO "query_audit_chain" (lane, anchor_id, anchor_hash, head_id, head_hash) SELECT l, 0, ${genesis}, 0, ${genesis} FROM generate_series(1, ${lanes - 1}) AS l;
      END $$`);
    await queryRunner.query(`ALTER TABLE "query_audit" ENABLE TRIGGER "query_audit_append_only"`);
    await queryRunner.query(`ALTER TABLE "query_audit" ALTER "chain_lane" SET NOT NULL, ALTER "prev_hash" SET NOT NULL, ALTER "hash" SET NOT NULL`);
    // Ids are drawn under the chain lock instead, so the chain's order is the ids' order.
    await queryRunner.query(`ALTER TABLE "query_audit" ALTER "id" DROP DEFAULT`);

    await queryRunner.query(`
      CREATE FUNCTION "query_audit_chain_link"() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER ${pinned}
        AS $$
      DECLARE
        previous bytea;
      BEGIN
        -- A pooled connection keeps its lane; the row lock is held until commit, so one writer at a time extends a lane.
        NEW.chain_lane := pg_backend_pid() % ${lanes};
        SELECT head_hash INTO STRICT previous FROM query_audit_chain WHERE lane = NEW.chain_lane FOR UPDATE;
        NEW.id := nextval('${sequence}');
        NEW.prev_hash := previous;
        NEW.hash := query_audit_row_hash(previous, NEW);
        UPDATE query_audit_chain SET head_id = NEW.id, head_hash = NEW.hash WHERE lane = NEW.chain_lane;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER "query_audit_chain_link" BEFORE INSERT ON "query_audit" FOR EACH ROW EXECUTE FUNCTION "query_audit_chain_link"()`);

    // The purge switch was a setting any session could raise; now it only counts for the
    // table's owner, which is who purge_query_audit runs as (the apps have no DELETE anyway).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "query_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('credit.audit_purge', true) = 'on'
           AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'query_audit is append-only (% refused)', TG_OP;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION "purge_query_audit"(cutoff timestamptz) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER ${pinned}
        AS $$
      DECLARE
        -- Query logs are kept five years (Shenzhen regulation art. 45), by the database's clock.
        earliest_allowed constant timestamptz := now() - interval '1826 days';
        last_id bigint;
        purged bigint;
      BEGIN
        IF cutoff IS NULL OR cutoff > earliest_allowed THEN
          RAISE EXCEPTION 'query_audit purge refused: rows are kept 1826 days, so the cutoff may be % at the latest (asked: %)', earliest_allowed, cutoff
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM 1 FROM query_audit_chain ORDER BY lane FOR UPDATE;
        -- Only a prefix (by id) goes, so what is left of each lane still starts at its anchor:
        -- a row younger than the cutoff stops the purge there, even if older ones follow it.
        SELECT q.id INTO last_id FROM query_audit q
         WHERE q.id < coalesce((SELECT min(y.id) FROM query_audit y WHERE y.at >= cutoff), 9223372036854775807)
         ORDER BY q.id DESC LIMIT 1;
        IF last_id IS NULL THEN
          RETURN 0;
        END IF;
        UPDATE query_audit_chain c SET anchor_id = last_of_lane.id, anchor_hash = last_of_lane.hash
          FROM (SELECT DISTINCT ON (q.chain_lane) q.chain_lane, q.id, q.hash FROM query_audit q WHERE q.id <= last_id ORDER BY q.chain_lane, q.id DESC) AS last_of_lane
         WHERE c.lane = last_of_lane.chain_lane;
        PERFORM set_config('credit.audit_purge', 'on', true);
        DELETE FROM query_audit WHERE id <= last_id;
        GET DIAGNOSTICS purged = ROW_COUNT;
        PERFORM set_config('credit.audit_purge', 'off', true);
        UPDATE query_audit_chain SET last_purge_at = now();
        RETURN purged;
      END $$`);

    // Functions are executable by PUBLIC unless taken away.
    await queryRunner.query(`REVOKE ALL ON FUNCTION "purge_query_audit"(timestamptz), "query_audit_chain_link"(), "query_audit_append_only"(), "query_audit_row_hash"(bytea, "query_audit") FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION "purge_query_audit"(timestamptz) TO credit_engine_app`);
    // audit:verify may run as the app role: it reads, never writes.
    await queryRunner.query(`GRANT SELECT ON "query_audit_chain" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "purge_query_audit"(timestamptz)`);
    await queryRunner.query(`DROP TRIGGER "query_audit_chain_link" ON "query_audit"`);
    await queryRunner.query(`DROP FUNCTION "query_audit_chain_link"()`);
    await queryRunner.query(`ALTER TABLE "query_audit" ALTER "id" SET DEFAULT nextval(pg_get_serial_sequence('query_audit', 'id')::regclass)`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "query_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('credit.audit_purge', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'query_audit is append-only (% refused)', TG_OP;
      END $$`);
    await queryRunner.query(`DROP FUNCTION "query_audit_row_hash"(bytea, "query_audit")`);
    await queryRunner.query(`ALTER TABLE "query_audit" DROP COLUMN "hash", DROP COLUMN "prev_hash", DROP COLUMN "chain_lane"`);
    await queryRunner.query(`DROP TABLE "query_audit_chain"`);
  }
}
