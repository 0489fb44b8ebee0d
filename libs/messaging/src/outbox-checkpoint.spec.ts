import { decodeSeqRanges, encodeSeqRanges } from './outbox-checkpoint';

describe('outbox checkpoint ranges', () => {
  it('compresses runs and keeps gaps', () => {
    expect(encodeSeqRanges([5n, 1n, 2n, 3n, 7n, 8n])).toBe('1-3,5,7-8');
  });

  it('round-trips', () => {
    const seqs = [10n, 11n, 12n, 40n, 100n, 101n];
    const ranges = decodeSeqRanges(encodeSeqRanges(seqs));
    const expanded = ranges.flatMap(({ from, to }) => Array.from({ length: Number(to - from) + 1 }, (_, i) => from + BigInt(i)));
    expect(expanded).toEqual(seqs);
  });

  it('decodes nothing from an empty checkpoint', () => {
    expect(decodeSeqRanges(null)).toEqual([]);
    expect(encodeSeqRanges([])).toBe('');
  });
});
