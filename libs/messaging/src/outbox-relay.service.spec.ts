import { chunkBySize } from './outbox-relay.service';

describe('outbox relay chunking', () => {
  const message = (bytes: number) => ({ topic: 't', message: { value: 'x'.repeat(bytes) } });

  it('keeps every chunk under the limit, in order, losing nothing', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ topic: `t${i % 3}`, message: { value: 'y'.repeat(20_000 + i) } }));
    const chunks = chunkBySize(messages, 200_000);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) expect(chunk.reduce((n, m) => n + String(m.message.value).length + 512, 0)).toBeLessThanOrEqual(200_000);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('sends a message larger than the limit on its own rather than never', () => {
    expect(chunkBySize([message(10), message(500), message(10)], 300).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
