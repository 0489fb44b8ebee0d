import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, Producer, TopicPartitionOffset } from 'kafkajs';
import type { DeadLetterInput } from '@app/persistence';
import { BatchOutcome, InboundBatch, PartitionSlice } from './inbound-batch';
import { KafkaBatchServer } from './kafka-batch.server';

// The one-by-one fallback on its own: no broker is reached, so the Kafka client is never used.
describe('KafkaBatchServer: a message that cannot be decided', () => {
  const message = (offset: string, id: string) => ({
    topic: 't.credit.events.v1',
    partition: 0,
    offset,
    key: null,
    value: Buffer.from(JSON.stringify({ specversion: '1.0', id, source: '/departments/court', data: { subject: { id: '510802199003071232', name: '王建国' } } })),
    headers: {},
  });

  it('is dead-lettered with a specific code and a dead_letter row naming its event, without the internal error text', async () => {
    const letters: DeadLetterInput[] = [];
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const server = new KafkaBatchServer({
      kafka: {} as Kafka,
      groupId: 'g',
      subscriptions: [{ topic: 't.credit.events.v1', pattern: 'credit-events' }],
      deadLetterTopic: 'dlq',
      retryInitialMs: 1,
      retryMaxMs: 1,
      maxBatchAttempts: 1,
      maxMessagesPerTransaction: 10,
      sessionTimeoutMs: 6000,
      recordDeadLetters: async (batch) => void letters.push(...batch),
    });
    server.addHandler(
      'credit-events',
      async (batch: InboundBatch): Promise<BatchOutcome> => {
        if (batch.messages.some((m) => m.offset === '2')) throw new Error('null value in column "subject_name" violates not-null constraint: 王建国 510802199003071232');
        return { rejected: [] };
      },
      true,
    );
    const batch: PartitionSlice = { topic: 't.credit.events.v1', partition: 0, messages: [message('1', 'ok-1'), message('2', 'poison-2'), message('3', 'ok-3')] };
    const outcome = await (server as unknown as { handleOneByOne(b: PartitionSlice): Promise<BatchOutcome> }).handleOneByOne(batch);

    expect(outcome.rejected).toEqual([{ topic: 't.credit.events.v1', partition: 0, offset: '2', code: 'ENGINE.PROCESSING_FAILED', message: expect.stringContaining('failed to decide') }]);
    expect(letters).toEqual([expect.objectContaining({ errorCode: 'ENGINE.PROCESSING_FAILED', source: '/departments/court', eventId: 'poison-2', offset: '2' })]);
    expect(JSON.stringify(outcome)).not.toContain('510802199003071232');
    expect(letters[0].message).not.toContain('王建国');
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/could not decide t\.credit\.events\.v1\[0\] at 2: Error$/));
    expect(JSON.stringify(logged.mock.calls)).not.toContain('510802199003071232');
    logged.mockRestore();
  });
});

// Slices of partitions consumed at the same time share one handler call (one transaction). The
// broker is faked (batches handed in as kafkajs would, a consumer and producer that record what
// they are asked): these tests are about what the server does between them.
describe('KafkaBatchServer: slices of several partitions', () => {
  const TOPIC = 't.credit.events.v1';
  const message = (partition: number, offset: string, value = '{}') => ({ topic: TOPIC, partition, offset, key: null, value: Buffer.from(value), headers: {} });
  const slice = (partition: number, ...offsets: string[]): PartitionSlice => ({ topic: TOPIC, partition, messages: offsets.map((o) => message(partition, o)) });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  interface Fakes {
    /** Each handler call's messages, as partition:offset. */
    calls: string[][];
    /** Each commitOffsets call's offsets, as partition:offset. */
    commits: string[][];
    sent: { partition: string; code: string }[];
    letters: DeadLetterInput[];
    warnings: string[];
  }

  function serverWith(
    handler: (batch: InboundBatch) => Promise<BatchOutcome>,
    { maxMessagesPerTransaction = 10, commitOffsets = async () => undefined }: { maxMessagesPerTransaction?: number; commitOffsets?: (offsets: TopicPartitionOffset[]) => Promise<void> } = {},
  ) {
    const fakes: Fakes = { calls: [], commits: [], sent: [], letters: [], warnings: [] };
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((text: unknown) => void fakes.warnings.push(String(text)));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const server = new KafkaBatchServer({
      kafka: {} as Kafka,
      groupId: 'g',
      subscriptions: [{ topic: TOPIC, pattern: 'credit-events' }],
      deadLetterTopic: 'dlq',
      retryInitialMs: 1,
      retryMaxMs: 1,
      maxBatchAttempts: 3,
      maxMessagesPerTransaction,
      transactionsInFlight: 1,
      sessionTimeoutMs: 6000,
      recordDeadLetters: async (batch) => void fakes.letters.push(...batch),
    });
    server.addHandler(
      'credit-events',
      async (batch: InboundBatch) => {
        fakes.calls.push(batch.messages.map((m) => `${m.partition}:${m.offset}`));
        return handler(batch);
      },
      true,
    );
    const internals = server as unknown as {
      consumer: Partial<Consumer>;
      producer: Partial<Producer>;
      handleTogether(attempt: { slice: PartitionSlice; alone: boolean }): Promise<BatchOutcome>;
      consumeBatch(payload: Partial<EachBatchPayload>): Promise<void>;
    };
    internals.consumer = {
      commitOffsets: async (offsets) => {
        fakes.commits.push(offsets.map((o) => `${o.partition}:${o.offset}`));
        await commitOffsets(offsets);
      },
    };
    internals.producer = {
      send: async (record) => {
        for (const m of record.messages) fakes.sent.push({ partition: String(m.headers!.dlq_original_partition), code: String(m.headers!.dlq_error_code) });
        return [];
      },
    };
    /** Hands the server one partition's fetched batch, as kafkajs' eachBatch does. */
    const consume = (partition: number, offsets: string[], heartbeat = jest.fn(async () => undefined), value = (offset: string) => `{"offset":${offset}}`) => {
      const resolved: string[] = [];
      const done = internals.consumeBatch({
        batch: { topic: TOPIC, partition, messages: offsets.map((offset) => ({ offset, key: null, value: Buffer.from(value(offset)), headers: {}, timestamp: '0', attributes: 0 })) } as unknown as EachBatchPayload['batch'],
        heartbeat,
        isRunning: () => true,
        isStale: () => false,
        resolveOffset: (offset) => void resolved.push(offset),
      });
      return { done, resolved, heartbeat };
    };
    return { server: internals, fakes, consume };
  }

  afterEach(() => jest.restoreAllMocks());

  it('join the next transaction while one is in flight, and each gets back only its own rejections', async () => {
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const { server, fakes } = serverWith(async (batch) => {
      if (fakes.calls.length === 1) await first;
      // Refuse offset 7 of every partition: the same offset on two partitions must not be confused.
      return { rejected: batch.messages.filter((m) => m.offset === '7').map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, code: 'EVENT.SCHEMA_VIOLATION', message: 'bad' })) };
    });
    const a = server.handleTogether({ slice: slice(0, '1'), alone: false });
    const b = server.handleTogether({ slice: slice(1, '7', '8'), alone: false });
    const c = server.handleTogether({ slice: slice(2, '7'), alone: false });
    release();
    const [outA, outB, outC] = await Promise.all([a, b, c]);
    expect(fakes.calls).toEqual([['0:1'], ['1:7', '1:8', '2:7']]);
    expect(outA.rejected).toEqual([]);
    expect(outB.rejected).toEqual([expect.objectContaining({ partition: 1, offset: '7' })]);
    expect(outC.rejected).toEqual([expect.objectContaining({ partition: 2, offset: '7' })]);
  });

  it('keep a shared transaction within ENGINE_BATCH_SIZE messages', async () => {
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const { server, fakes } = serverWith(
      async () => {
        if (fakes.calls.length === 1) await first;
        return { rejected: [] };
      },
      { maxMessagesPerTransaction: 3 },
    );
    const slices = [slice(0, '1'), slice(1, '1', '2'), slice(2, '1'), slice(3, '1', '2')].map((s) => server.handleTogether({ slice: s, alone: false }));
    release();
    await Promise.all(slices);
    expect(fakes.calls.map((c) => c.length)).toEqual([1, 3, 2]);
  });

  it('retry each slice of a failed shared transaction alone: the healthy ones commit once, only the poison one spends attempts and is dead-lettered', async () => {
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const { fakes, consume } = serverWith(async (batch) => {
      if (fakes.calls.length === 1) await first;
      if (batch.messages.some((m) => String(m.value).includes('poison'))) throw new Error('null value in column "subject_name" violates not-null constraint');
      return { rejected: [] };
    });
    const held = consume(0, ['1']);
    await settle();
    // Arrive while partition 0's transaction is in flight: they share the next one.
    const poisoned = consume(1, ['5', '6'], undefined, (offset) => (offset === '6' ? '{"poison":true}' : '{}'));
    const healthy = [consume(2, ['1', '2']), consume(3, ['9'])];
    release();
    await Promise.all([held.done, poisoned.done, ...healthy.map((h) => h.done)]);

    expect(fakes.calls.slice(0, 2)).toEqual([['0:1'], ['1:5', '1:6', '2:1', '2:2', '3:9']]);
    // Stored exactly once each: the shared attempt failed, the lone retry committed.
    const succeeded = (partition: number) => fakes.calls.slice(2).filter((c) => c.some((m) => m.startsWith(`${partition}:`)));
    expect(succeeded(2)).toEqual([['2:1', '2:2']]);
    expect(succeeded(3)).toEqual([['3:9']]);
    // Partition 1 alone: three attempts, then message by message.
    expect(succeeded(1)).toEqual([['1:5', '1:6'], ['1:5', '1:6'], ['1:5', '1:6'], ['1:5'], ['1:6']]);
    expect(fakes.warnings.filter((w) => /failure on .*\[\d\]/.test(w))).toEqual([
      expect.stringMatching(/failure on t\.credit\.events\.v1\[1\] at 5 \(attempt 1 of 3\)/),
      expect.stringMatching(/\[1\] at 5 \(attempt 2 of 3\)/),
      expect.stringMatching(/\[1\] at 5 \(attempt 3 of 3\)/),
    ]);
    expect(fakes.warnings).toContainEqual(expect.stringMatching(/a transaction of 3 slices .* failed, each retries alone/));
    expect(fakes.sent).toEqual([{ partition: '1', code: 'ENGINE.PROCESSING_FAILED' }]);
    expect(fakes.letters).toEqual([expect.objectContaining({ errorCode: 'ENGINE.PROCESSING_FAILED', partition: 1, offset: '6' })]);
    // Every partition's offset committed once, nothing left behind.
    expect(fakes.commits.flat().sort()).toEqual(['0:2', '1:7', '2:3', '3:10']);
    expect([held, poisoned, ...healthy].map((c) => c.resolved)).toEqual([['1'], ['6'], ['2'], ['9']]);
  });

  it('retry a slice through transient failures (the database away) without spending its attempts: no more than the outage lasts, never message by message, nothing dead-lettered', async () => {
    const outage = 7; // more than maxBatchAttempts (3)
    const { fakes, consume } = serverWith(async () => {
      if (fakes.calls.length <= outage) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return { rejected: [] };
    });
    const slice = consume(0, ['1', '2', '3']);
    await slice.done;
    expect(fakes.calls).toEqual(Array.from({ length: outage + 1 }, () => ['0:1', '0:2', '0:3']));
    expect(fakes.sent).toEqual([]);
    expect(fakes.letters).toEqual([]);
    expect(fakes.commits).toEqual([['0:4']]);
    expect(fakes.warnings.filter((w) => w.includes('transient failure'))).toHaveLength(outage);
    expect(fakes.warnings.join('\n')).not.toMatch(/\(attempt \d/);
  });

  it.each([
    ['a statement timeout (57014)', () => Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) })],
    ['an idle-in-transaction end (25P03)', () => Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' })],
    ['a released query runner', () => Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), { name: 'QueryRunnerAlreadyReleasedError' })],
  ])('isolate a slice that %s ends every time: a few free retries, then its attempts, then message by message, and only the poison event dead-lettered', async (_, sessionLimit) => {
    const { fakes, consume } = serverWith(async (batch) => {
      if (batch.messages.some((m) => m.offset === '2')) throw sessionLimit();
      return { rejected: [] };
    });
    const consumed = consume(0, ['1', '2', '3']);
    await consumed.done;
    const whole = ['0:1', '0:2', '0:3'];
    // The first 3 session limits in a row are free (FREE_SESSION_LIMIT_RETRIES), the next 3 spend the slice's attempts: 6 tries whole, then message by message.
    expect(fakes.calls).toEqual([...Array.from({ length: 3 + 3 }, () => whole), ['0:1'], ['0:2'], ['0:3']]);
    expect(fakes.warnings.filter((w) => /no attempt spent/.test(w))).toHaveLength(3);
    expect(fakes.warnings.filter((w) => /unexpected failure/.test(w)).map((w) => /attempt (\d) of 3/.exec(w)?.[1])).toEqual(['1', '2', '3']);
    expect(fakes.letters).toEqual([expect.objectContaining({ offset: '2', errorCode: 'ENGINE.PROCESSING_FAILED' })]);
    expect(fakes.sent).toEqual([{ partition: '0', code: 'ENGINE.PROCESSING_FAILED' }]);
    expect(fakes.commits).toEqual([['0:4']]);
    expect(consumed.resolved).toEqual(['3']);
  });

  it('never count an outage between statement timeouts: the timeouts in a row start again after it', async () => {
    const timedOut = () => Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    // timeout ×3, outage, timeout ×3, outage, then healthy: never 4 timeouts in a row, so no attempt is spent.
    const script = [timedOut, timedOut, timedOut, refused, timedOut, timedOut, timedOut, refused];
    const { fakes, consume } = serverWith(async () => {
      const fail = script[fakes.calls.length - 1];
      if (fail) throw fail();
      return { rejected: [] };
    });
    await consume(0, ['1', '2']).done;
    expect(fakes.calls).toEqual(Array.from({ length: script.length + 1 }, () => ['0:1', '0:2']));
    expect(fakes.warnings.join('\n')).not.toMatch(/\(attempt \d/);
    expect(fakes.letters).toEqual([]);
  });

  it('count only the slice\'s own failures: transient ones between them leave its attempts as they were', async () => {
    const transient = () => Object.assign(new Error('Connection terminated unexpectedly'), { name: 'QueryFailedError' });
    // Calls 1–6 alternate transient and the slice's own failure (3 own = maxBatchAttempts), then message by message.
    const { fakes, consume } = serverWith(async (batch) => {
      const call = fakes.calls.length;
      if (call <= 6) throw call % 2 === 1 ? transient() : new Error('null value in column "subject_name" violates not-null constraint');
      if (batch.messages.some((m) => m.offset === '2')) throw new Error('null value in column "subject_name" violates not-null constraint');
      return { rejected: [] };
    });
    await consume(0, ['1', '2']).done;
    expect(fakes.calls.slice(0, 6)).toEqual(Array.from({ length: 6 }, () => ['0:1', '0:2']));
    expect(fakes.calls.slice(6)).toEqual([['0:1'], ['0:2']]);
    expect(fakes.warnings.filter((w) => /unexpected failure/.test(w)).map((w) => /attempt (\d) of 3/.exec(w)?.[1])).toEqual(['1', '2', '3']);
    expect(fakes.letters).toEqual([expect.objectContaining({ offset: '2', errorCode: 'ENGINE.PROCESSING_FAILED' })]);
  });

  it('send a dead letter the broker refuses as too large smaller, never the same again: bare, then given up (the dead_letter table has it), and the partition moves on', async () => {
    const refuse = (message: string) => Object.assign(new Error(message), { name: 'KafkaJSNonRetriableError', retriable: false });
    const { server, fakes, consume } = serverWith(async (batch) => ({
      rejected: batch.messages.filter((m) => m.offset !== '1').map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, code: 'EVENT.TOO_LARGE', message: 'too large' })),
    }));
    const sends: { offsets: string[]; bare: boolean[] }[] = [];
    // The dead-letter topic takes 100 bytes of content; offset 3's letter is refused even bare (its headers alone are over some limit).
    server.producer = {
      send: async (record) => {
        sends.push({ offsets: record.messages.map((m) => String(m.headers!.dlq_original_offset)), bare: record.messages.map((m) => m.value === null) });
        if (record.messages.some((m) => (m.value?.length ?? 0) > 100 || m.headers!.dlq_original_offset === '3')) throw refuse('The request included a message larger than the max message size the server will accept');
        return [];
      },
    };
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const slice = consume(0, ['1', '2', '3', '4'], undefined, (offset) => (offset === '4' ? '{}' : 'x'.repeat(1000)));
    await slice.done;
    expect(sends).toEqual([
      { offsets: ['2', '3', '4'], bare: [false, false, false] },
      { offsets: ['2'], bare: [false] },
      { offsets: ['2'], bare: [true] },
      { offsets: ['3'], bare: [false] },
      { offsets: ['3'], bare: [true] },
      { offsets: ['4'], bare: [false] },
    ]);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/dead letter of t\.credit\.events\.v1\[0\] at 3 was refused .* even without its content; it is kept in the dead_letter table only/));
    expect(fakes.commits).toEqual([['0:5']]);
    expect(slice.resolved).toEqual(['4']);
  });

  it('group a slice again once it has committed alone', async () => {
    let release!: () => void;
    let hold = new Promise<void>((resolve) => (release = resolve));
    const { fakes, consume } = serverWith(async (batch) => {
      if (batch.messages.some((m) => m.partition === 0)) await hold;
      if (fakes.calls.length === 2) throw new Error('deadlock detected');
      return { rejected: [] };
    });
    // Partition 0 holds the writer; 1 and 2 fail together, retry alone, then their next slices group again.
    const held = consume(0, ['4']);
    await settle();
    const others = [consume(1, ['1']), consume(2, ['1'])];
    release();
    await Promise.all([held.done, ...others.map((o) => o.done)]);
    hold = new Promise<void>((resolve) => (release = resolve));
    const again = [consume(0, ['4']), consume(1, ['2']), consume(2, ['2'])];
    await settle();
    release();
    await Promise.all(again.map((a) => a.done));
    expect(fakes.calls).toEqual([['0:4'], ['1:1', '2:1'], ['1:1'], ['2:1'], ['0:4'], ['1:2', '2:2']]);
  });

  it('retry only a failed offset commit, alone and with backoff: the slices are not handled again and their dead letters not sent again', async () => {
    let releaseTransaction!: () => void;
    const transactionHeld = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let releaseCommit!: () => void;
    const commitHeld = new Promise<void>((resolve) => (releaseCommit = resolve));
    let failed = false;
    const { fakes, consume } = serverWith(
      async (batch) => {
        if (fakes.calls.length === 1) await transactionHeld;
        return { rejected: batch.messages.filter((m) => m.offset === '2').map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, code: 'EVENT.SCHEMA_VIOLATION', message: 'bad' })) };
      },
      {
        commitOffsets: async (offsets) => {
          if (offsets.some((o) => o.partition === 9)) await commitHeld;
          if (offsets.length > 1 && !failed) {
            failed = true;
            throw Object.assign(new Error('Request OffsetCommit(key: 8, version: 3) timed out'), { name: 'KafkaJSRequestTimeoutError' });
          }
        },
      },
    );
    // Partition 9's transaction, then its commit, are held: 1 and 2 share a transaction, then a commit, which fails.
    const holder = consume(9, ['1']);
    await settle();
    const slices = [consume(1, ['1', '2']), consume(2, ['2', '3'])];
    releaseTransaction();
    for (let i = 0; i < 5; i++) await settle();
    releaseCommit();
    await Promise.all([holder.done, ...slices.map((s) => s.done)]);

    expect(fakes.calls).toEqual([['9:1'], ['1:1', '1:2', '2:2', '2:3']]);
    expect(fakes.sent).toEqual([
      { partition: '1', code: 'EVENT.SCHEMA_VIOLATION' },
      { partition: '2', code: 'EVENT.SCHEMA_VIOLATION' },
    ]);
    // Each slice retries its own commit after a jittered backoff, so the two retries come in either order.
    expect(fakes.commits.slice(0, 2)).toEqual([['9:2'], ['1:3', '2:4']]);
    expect(fakes.commits.slice(2).sort()).toEqual([['1:3'], ['2:4']]);
    expect(fakes.warnings.filter((w) => w.includes('retrying only the offset commit'))).toEqual([
      expect.stringMatching(/^offset commit of t\.credit\.events\.v1\[1\] at 1 failed \(attempt 1\)/),
      expect.stringMatching(/^offset commit of t\.credit\.events\.v1\[2\] at 2 failed \(attempt 1\)/),
    ]);
    expect(slices.map((s) => s.resolved)).toEqual([['2'], ['3']]);
  });

  it('give a slice up when its offset commit is refused by a rebalance, without handling it again', async () => {
    const { fakes, consume } = serverWith(async () => ({ rejected: [] }), {
      commitOffsets: async () => {
        throw Object.assign(new Error('The group is rebalancing'), { name: 'KafkaJSProtocolError', type: 'REBALANCE_IN_PROGRESS' });
      },
    });
    const given = consume(1, ['1', '2']);
    await given.done;
    expect(fakes.calls).toEqual([['1:1', '1:2']]);
    expect(fakes.commits).toEqual([['1:3']]);
    expect(given.resolved).toEqual([]);
  });

  it('heartbeat while they wait for a shared transaction, so a long group does not cost a rebalance', async () => {
    jest.useFakeTimers();
    try {
      let release!: () => void;
      const first = new Promise<void>((resolve) => (release = resolve));
      const { fakes, consume } = serverWith(async () => {
        if (fakes.calls.length === 1) await first;
        return { rejected: [] };
      });
      const held = consume(0, ['1']);
      await jest.advanceTimersByTimeAsync(0);
      const waiting = consume(1, ['1']);
      // sessionTimeoutMs 6000: kafkajs heartbeats every 1.2 s.
      await jest.advanceTimersByTimeAsync(6000);
      expect(waiting.heartbeat.mock.calls.length).toBeGreaterThanOrEqual(4);
      expect(held.heartbeat.mock.calls.length).toBeGreaterThanOrEqual(4);
      const beforeDone = waiting.heartbeat.mock.calls.length;
      release();
      await jest.advanceTimersByTimeAsync(0);
      await Promise.all([held.done, waiting.done]);
      // One more after the slice commits (consumeBatch's own), none while no longer waiting.
      await jest.advanceTimersByTimeAsync(6000);
      expect(waiting.heartbeat.mock.calls.length).toBe(beforeDone + 1);
    } finally {
      jest.useRealTimers();
    }
  });
});
