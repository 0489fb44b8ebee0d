import { bareDeadLetter, deadLetterMessage, isBareDeadLetter, MAX_DEAD_LETTER_BYTES } from './dead-letter-message';
import type { InboundMessage, Rejection } from './inbound-batch';
import { messageBytes } from './message-chunks';

describe('dead-letter messages', () => {
  const original = (valueBytes: number, headers: InboundMessage['headers'] = {}): InboundMessage => ({
    topic: 't.credit.events.court.v1',
    partition: 2,
    offset: '41',
    key: Buffer.from('91510802MB0000001X'),
    value: Buffer.alloc(valueBytes, 'x'),
    headers: { ce_id: 'evt-1', ce_source: '/departments/court', ...headers },
  });
  const rejection: Rejection = { topic: 't.credit.events.court.v1', partition: 2, offset: '41', code: 'EVENT.TOO_LARGE', message: 'the event is larger than 65536 bytes' };

  it('is the original with the reason and origin in dlq_* headers while it fits', () => {
    const letter = deadLetterMessage(original(100, { trace: 'abc' }), rejection);
    expect(letter.value).toEqual(Buffer.alloc(100, 'x'));
    expect(letter.headers).toEqual({ ce_id: 'evt-1', ce_source: '/departments/court', trace: 'abc', dlq_error_code: 'EVENT.TOO_LARGE', dlq_error_message: rejection.message, dlq_original_topic: rejection.topic, dlq_original_partition: '2', dlq_original_offset: '41' });
  });

  it('is truncated to the limit above it, keeping the reason, the origin and the event identity, and saying so', () => {
    const message = original(MAX_DEAD_LETTER_BYTES, { big: Buffer.alloc(10_000, 'h') });
    const letter = deadLetterMessage(message, rejection);
    expect(messageBytes(letter)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
    expect(letter.value!.length).toBeGreaterThan(MAX_DEAD_LETTER_BYTES - 2_000);
    expect(message.value!.subarray(0, letter.value!.length).equals(letter.value as Buffer)).toBe(true);
    expect(letter.headers).toMatchObject({ ce_id: 'evt-1', dlq_error_code: 'EVENT.TOO_LARGE', dlq_original_offset: '41', dlq_truncated: expect.stringContaining('dead_letter table'), dlq_original_bytes: String(messageBytes({ ...message, headers: { ...message.headers, ...deadLetterMessage(original(1), rejection).headers } })) });
    expect(letter.headers).not.toHaveProperty('big');
  });

  it('can be made bare: no content and no original header, only why and where from', () => {
    const bare = bareDeadLetter(deadLetterMessage(original(100, { trace: 'abc' }), rejection));
    expect(bare.value).toBeNull();
    expect(Object.keys(bare.headers!).every((name) => name.startsWith('dlq_'))).toBe(true);
    expect(bare.headers).toMatchObject({ dlq_error_code: 'EVENT.TOO_LARGE', dlq_original_offset: '41', dlq_truncated: expect.stringContaining('refused') });
    expect(isBareDeadLetter(bare)).toBe(true);
    expect(isBareDeadLetter(deadLetterMessage(original(100), rejection))).toBe(false);
  });
});
