import { FeedbackError } from '../feedback/feedback.errors';
import { pageLimit, sequenceCursor } from './page-request';

describe('pageLimit', () => {
  const bounds = { fallback: 50, max: 500 };

  it("takes an integer from 1 to the endpoint's maximum, and the endpoint's default when none is asked for", () => {
    expect(pageLimit(undefined, bounds)).toBe(50);
    expect(pageLimit(1, bounds)).toBe(1);
    expect(pageLimit(500, bounds)).toBe(500);
  });

  it('refuses anything else as REQUEST.BAD_LIMIT, naming the range', () => {
    for (const bad of [0, -1, 501, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pageLimit(bad, bounds)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_LIMIT', message: 'limit must be an integer from 1 to 500' }));
    }
  });

  it("refuses with the endpoint's own code when it gives one", () => {
    const refuse = (message: string) => new FeedbackError('REQUEST.BAD_TASK_FILTER', message, { violations: [{ path: 'limit', message }] });
    expect(() => pageLimit(1001, { fallback: 100, max: 1000 }, refuse)).toThrow(
      expect.objectContaining({ code: 'REQUEST.BAD_TASK_FILTER', message: 'limit must be an integer from 1 to 1000', context: { violations: [{ path: 'limit', message: 'limit must be an integer from 1 to 1000' }] } }),
    );
  });
});

describe('sequenceCursor', () => {
  it("takes a row's sequence number, and '0' before the first page", () => {
    expect(sequenceCursor(undefined)).toBe('0');
    expect(sequenceCursor('0')).toBe('0');
    expect(sequenceCursor('123456789012345678')).toBe('123456789012345678');
  });

  it('refuses anything that is not 1 to 18 digits as REQUEST.BAD_CURSOR, before it reaches a bigint cast', () => {
    for (const bad of ['', '-1', '1.5', '1e3', ' 1', '1234567890123456789', 'abc', '0x10']) {
      expect(() => sequenceCursor(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_CURSOR', message: 'after must be a cursor returned by a previous read (a non-negative integer)' }));
    }
  });
});
