import { chunkBySize, messageBytes } from './message-chunks';

describe('sends in chunks under the broker limit', () => {
  const message = (bytes: number) => ({ topic: 't', message: { value: 'x'.repeat(bytes) } });
  const bytesOf = (item: { message: { value: string } }) => messageBytes(item.message);

  it('keeps every chunk under the limit, in order, losing nothing', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ topic: `t${i % 3}`, message: { value: 'y'.repeat(20_000 + i) } }));
    const chunks = chunkBySize(messages, 200_000, bytesOf);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) expect(chunk.reduce((n, m) => n + bytesOf(m), 0)).toBeLessThanOrEqual(200_000);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('sends a message larger than the limit on its own rather than never', () => {
    expect(chunkBySize([message(10), message(500), message(10)], 300, bytesOf).map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('counts keys and headers, in bytes (Chinese text is three bytes a character)', () => {
    expect(messageBytes({ key: 'k', value: '失信', headers: { h: 'v' } })).toBe(1 + 6 + 2 + 64);
  });
});
