import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, FeedRepository } from '@app/persistence';
import { appRoleUrl, openTestDatabase } from '../support/database';

/** Run as the app role, as the relay runs in production: its grants must cover these statements. */
describe('FeedRepository (real PostgreSQL, as the app role)', () => {
  let owner: DataSource;
  let app: DataSource;
  let feed: FeedRepository;

  beforeAll(async () => {
    owner = await openTestDatabase();
    app = await new DataSource(dataSourceOptions(await appRoleUrl(), { extra: { max: 2 } })).initialize();
    feed = new FeedRepository(app);
  });

  const departments: string[] = [];

  // Left unpublished, they would be picked up by any relay that later runs on this database.
  afterAll(async () => {
    await owner?.query(`DELETE FROM feed_record WHERE department = ANY($1)`, [departments]);
    await app?.destroy();
    await owner?.destroy();
  });

  /** Five records on a department of this test's own, in order; returns their seqs. */
  const seedFeed = async (): Promise<{ department: string; seqs: string[] }> => {
    const department = `feed-${randomUUID().slice(0, 8)}`;
    departments.push(department);
    // Written directly: the record's payload is another module's contract, only the columns matter here.
    await owner.query(
      `INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, cause_key, payload)
       SELECT gen_random_uuid(), $1, 'decision.issued', $2, '91510802MA62XK0U3U', $3, jsonb_build_object('n', n) FROM generate_series(0, 4) AS n ORDER BY n`,
      [department, randomUUID(), `/departments/court/${department}`],
    );
    return { department, seqs: (await feed.readAfter(department, '0', 10)).map((r) => r.seq) };
  };

  it('reads a department feed from a cursor, in order, with payloads parsed', async () => {
    const { department, seqs } = await seedFeed();
    const page = await feed.readAfter(department, seqs[1], 2);
    expect(page.map((r) => r.seq)).toEqual(seqs.slice(2, 4));
    expect(page[0]).toMatchObject({ department, kind: 'decision.issued', subjectId: '91510802MA62XK0U3U', payload: { n: 2 }, publishedAt: null });
    expect(page[0].createdAt).toBeInstanceOf(Date);
  });

  it('marks published exactly the unpublished records of the given ranges, once', async () => {
    const { department, seqs } = await seedFeed();
    await feed.markPublished(app.manager, [seqs[1]]);
    const ranges = [
      { from: BigInt(seqs[0]), to: BigInt(seqs[2]) },
      { from: BigInt(seqs[4]), to: BigInt(seqs[4]) },
    ];
    // seqs[1] was published already: only the other three in the ranges count.
    expect(await feed.markPublishedRanges(app.manager, ranges)).toBe(3);
    const published = (await feed.readAfter(department, '0', 10)).map((r) => r.publishedAt !== null);
    expect(published).toEqual([true, true, true, false, true]);
    expect(await feed.markPublishedRanges(app.manager, ranges)).toBe(0);
    expect(await feed.markPublishedRanges(app.manager, [])).toBe(0);
  });
});
