import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { parseCreditEvent } from '@app/domain';
import { KafkaEventBatchService, LifecycleScheduler } from '@app/engine';
import { DepartmentFeedService } from '@app/query';
import { truncateAll } from '../support/database';
import { MovableClock, startEngineHarness } from '../support/engine-harness';

// No measure is applied without a basis in force: when the last instrument a measure rests on is
// repealed, new decisions stop giving it and the tasks already in force end, every addressee told.
const ENTERPRISE = '91510802MA6T7E1QXE';
const REPEAL_DAY = '2027-01-01';

describe('repeal of a legal instrument (moved clock, real PostgreSQL)', () => {
  let rulesDir: string;
  let db: DataSource;
  let clock: MovableClock;
  let batches: KafkaEventBatchService;
  let scheduler: LifecycleScheduler;
  let feeds: DepartmentFeedService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // The shipped rules, with both instruments behind ENV-01 (key supervision) repealed on REPEAL_DAY.
    rulesDir = mkdtempSync(join(tmpdir(), 'rules-repeal-'));
    cpSync(resolve('rules'), rulesDir, { recursive: true });
    const catalogue = JSON.parse(readFileSync(join(rulesDir, 'instruments.json'), 'utf8')) as { instruments: { id: string; repealedOn?: string }[] };
    for (const instrument of catalogue.instruments) {
      if (['environmental-protection-law', 'state-council-credit-based-supervision-opinions'].includes(instrument.id)) instrument.repealedOn = REPEAL_DAY;
    }
    writeFileSync(join(rulesDir, 'instruments.json'), JSON.stringify(catalogue, null, 2));

    ({ db, clock, batches, scheduler, feeds, close } = await startEngineHarness('2026-12-10T02:00:00Z', { RULES_DIR: rulesDir }));
    await truncateAll(db);
  });

  afterAll(async () => {
    await close?.();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  const penalty = (id: string, decidedOn: string) =>
    parseCreditEvent({
      specversion: '1.0',
      id,
      source: '/departments/environment',
      type: 'credit.penalty.imposed.v1',
      subject: ENTERPRISE,
      time: `${decidedOn}T02:00:00Z`,
      data: {
        subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区某公司' },
        documentNumber: `广环罚〔2026〕${id}号`,
        decidedOn,
        severity: 'general',
        penaltyType: 'fine',
        reason: 'pollution-over-standard',
      },
    });
  const envTasks = async () => db.query(`SELECT state, end_reason AS "endReason" FROM measure_task WHERE measure_code = 'ENV-01' ORDER BY created_at`);

  it('ends the tasks in force on the repeal day and gives no new ones from then on', async () => {
    await batches.processBatch([penalty('r1', '2026-12-10')], []);
    expect(await envTasks()).toEqual([{ state: 'active', endReason: null }]);

    clock.set('2026-12-31T15:59:59Z'); // 23:59:59 on the day before the repeal, China time
    await scheduler.tick();
    expect(await envTasks()).toEqual([{ state: 'active', endReason: null }]);

    clock.set('2026-12-31T16:00:00Z'); // 00:00 on the repeal day
    await scheduler.tick();
    expect(await envTasks()).toEqual([{ state: 'revoked', endReason: 'basis-repealed' }]);
    const records = (await feeds.read('environment', '0', 100)).records as unknown as { kind: string; reason?: string }[];
    expect(records.filter((r) => r.kind === 'decision.revoked').map((r) => r.reason)).toEqual(['basis-repealed']);

    await batches.processBatch([penalty('r2', '2027-01-01')], []);
    expect((await envTasks()).length).toBe(1);
  });
});
