import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@app/persistence';
import { ownTestDatabaseUrl } from '../support/database';

// Migration 1765820000001 on commitments recorded before it: every earlier row keeps its shape,
// kept ones are left unsettled (the next ticks recompute their subjects' classes), the new
// constraints hold a correction to its shape, and going down turns a correction back into its breach.
const BEFORE = MIGRATIONS.findIndex((m) => m.name === 'CommitmentCorrections1765820000001');

describe('migration 1765820000001: commitment corrections', () => {
  let db: DataSource;
  const insert = (reference: string, state: string, extra: string) =>
    db.query(
      `INSERT INTO credit_commitment (department, reference, content_hash, subject_kind, subject_id_type, subject_id, subject_name, approval_item_code, approval_item_name,
         promise, due_on, approval_reference, approval_granted_on, state ${extra ? `, ${extra.split('=')[0]}` : ''})
       VALUES ('market-regulation', $1, 'sha256:0', 'enterprise', 'USCC', '91510802MA6B3N4TXM', '某公司', 'food-business-licence', '食品经营许可', '承诺', '2026-03-31', 'JY1', '2026-03-01', $2
         ${extra ? `, ${extra.split('=')[1]}` : ''}) RETURNING id`,
      [reference, state],
    );

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('commitment_migration');
    const reset = await new DataSource(dataSourceOptions(url)).initialize();
    await reset.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await reset.destroy();
    const before = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, BEFORE) })).initialize();
    await before.runMigrations({ transaction: 'each' });
    db = before;
    await insert('open', 'open', '');
    await insert('kept', 'kept', `closed_on, closed_at, evidence_reference=DATE '2026-03-30', now(), 'E1'`);
    await insert('broken', 'breached', `closed_on, closed_at, breach_kind, breach_reason, breach_event_id=DATE '2026-04-01', now(), 'overdue', 'not fulfilled by 2026-03-31', 'commitment-breach-x'`);
    await before.destroy();
    // Up to this migration only, so that going down undoes this one and not a later one.
    db = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, BEFORE + 1) })).initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('keeps every earlier commitment, and leaves the kept ones for the engine to settle', async () => {
    const rows = await db.query(`SELECT reference, state, settled_at AS "settledAt", corrected_at AS "correctedAt" FROM credit_commitment ORDER BY reference`);
    expect(rows).toEqual([
      { reference: 'broken', state: 'breached', settledAt: null, correctedAt: null },
      { reference: 'kept', state: 'kept', settledAt: null, correctedAt: null },
      { reference: 'open', state: 'open', settledAt: null, correctedAt: null },
    ]);
  });

  it('accepts a correction of an overdue breach and refuses the shapes a correction may not have', async () => {
    await db.query(`UPDATE credit_commitment SET state = 'kept', closed_on = '2026-03-31', evidence_reference = 'E2', corrected_at = now(), correction_reason = '录入延误' WHERE reference = 'broken'`);
    // A correction keeps its breach's kind; a breach is never corrected while it stands; a correction needs its reason.
    await expect(db.query(`UPDATE credit_commitment SET breach_kind = NULL WHERE reference = 'broken'`)).rejects.toThrow(/ck_credit_commitment_breach/);
    await expect(db.query(`UPDATE credit_commitment SET corrected_at = now(), correction_reason = 'x' WHERE reference = 'kept'`)).rejects.toThrow(/ck_credit_commitment_breach/);
    await expect(db.query(`UPDATE credit_commitment SET correction_reason = NULL WHERE reference = 'broken'`)).rejects.toThrow(/ck_credit_commitment_correction/);
    await expect(db.query(`UPDATE credit_commitment SET withdrawal_event_id = 'w' WHERE reference = 'kept'`)).rejects.toThrow(/ck_credit_commitment_correction/);
  });

  it('goes down by turning a correction back into its breach', async () => {
    // This data source knows the migrations up to this one only (see beforeAll), so one undo is this one's.
    await db.undoLastMigration({ transaction: 'each' });
    const [row] = await db.query(`SELECT state, closed_on::text AS "closedOn", evidence_reference AS "evidenceReference", breach_kind AS "breachKind" FROM credit_commitment WHERE reference = 'broken'`);
    expect(row).toEqual({ state: 'breached', closedOn: '2026-04-01', evidenceReference: null, breachKind: 'overdue' });
    await db.runMigrations({ transaction: 'each' });
  });
});
