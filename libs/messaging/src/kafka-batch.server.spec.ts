import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DeadLetterInput } from '@app/persistence';
import { BatchOutcome, InboundBatch } from './inbound-batch';
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
    const batch: InboundBatch = { topic: 't.credit.events.v1', partition: 0, messages: [message('1', 'ok-1'), message('2', 'poison-2'), message('3', 'ok-3')] };
    const outcome = await (server as unknown as { handleOneByOne(b: InboundBatch): Promise<BatchOutcome> }).handleOneByOne(batch);

    expect(outcome.rejected).toEqual([{ offset: '2', code: 'ENGINE.PROCESSING_FAILED', message: expect.stringContaining('failed to decide') }]);
    expect(letters).toEqual([expect.objectContaining({ errorCode: 'ENGINE.PROCESSING_FAILED', source: '/departments/court', eventId: 'poison-2', offset: '2' })]);
    expect(JSON.stringify(outcome)).not.toContain('510802199003071232');
    expect(letters[0].message).not.toContain('王建国');
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/could not decide t\.credit\.events\.v1\[0\] at 2: Error$/));
    expect(JSON.stringify(logged.mock.calls)).not.toContain('510802199003071232');
    logged.mockRestore();
  });
});
