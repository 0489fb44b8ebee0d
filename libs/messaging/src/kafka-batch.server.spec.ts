import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
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

// Slices of partitions consumed at the same time share one handler call (one transaction).
describe('KafkaBatchServer: slices of several partitions', () => {
  const message = (partition: number, offset: string) => ({ topic: 't.credit.events.v1', partition, offset, key: null, value: Buffer.from('{}'), headers: {} });
  const slice = (partition: number, ...offsets: string[]): PartitionSlice => ({ topic: 't.credit.events.v1', partition, messages: offsets.map((o) => message(partition, o)) });

  function serverWith(handler: (batch: InboundBatch) => Promise<BatchOutcome>, maxMessagesPerTransaction = 10) {
    const server = new KafkaBatchServer({
      kafka: {} as Kafka,
      groupId: 'g',
      subscriptions: [{ topic: 't.credit.events.v1', pattern: 'credit-events' }],
      deadLetterTopic: 'dlq',
      retryInitialMs: 1,
      retryMaxMs: 1,
      maxBatchAttempts: 3,
      maxMessagesPerTransaction,
      transactionsInFlight: 1,
      sessionTimeoutMs: 6000,
    });
    server.addHandler('credit-events', handler, true);
    return server as unknown as { handleTogether(s: PartitionSlice): Promise<BatchOutcome> };
  }

  it('join the next transaction while one is in flight, and each gets back only its own rejections', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const server = serverWith(async (batch) => {
      calls.push(batch.messages.map((m) => `${m.partition}:${m.offset}`));
      if (calls.length === 1) await first;
      // Refuse offset 7 of every partition: the same offset on two partitions must not be confused.
      return { rejected: batch.messages.filter((m) => m.offset === '7').map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, code: 'EVENT.SCHEMA_VIOLATION', message: 'bad' })) };
    });
    const a = server.handleTogether(slice(0, '1'));
    const b = server.handleTogether(slice(1, '7', '8'));
    const c = server.handleTogether(slice(2, '7'));
    release();
    const [outA, outB, outC] = await Promise.all([a, b, c]);
    expect(calls).toEqual([['0:1'], ['1:7', '1:8', '2:7']]);
    expect(outA.rejected).toEqual([]);
    expect(outB.rejected).toEqual([expect.objectContaining({ partition: 1, offset: '7' })]);
    expect(outC.rejected).toEqual([expect.objectContaining({ partition: 2, offset: '7' })]);
  });

  it('keep a shared transaction within ENGINE_BATCH_SIZE messages, and a failure fails every slice of it', async () => {
    const calls: number[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const server = serverWith(async (batch) => {
      calls.push(batch.messages.length);
      if (calls.length === 1) await first;
      if (calls.length === 2) throw new Error('connection lost');
      return { rejected: [] };
    }, 3);
    const held = server.handleTogether(slice(0, '1'));
    const failing = [server.handleTogether(slice(1, '1', '2')), server.handleTogether(slice(2, '1'))];
    const later = server.handleTogether(slice(3, '1', '2'));
    release();
    await held;
    for (const outcome of failing) await expect(outcome).rejects.toThrow('connection lost');
    await expect(later).resolves.toEqual({ rejected: [] });
    expect(calls).toEqual([1, 3, 2]);
  });
});
