import { ERROR_KINDS } from './error-status';
import { problemDetails, problemTitleOf, problemTypeOf } from './problem-details';

describe('Problem Details', () => {
  it('gives every declared code its own type and a short title that names it', () => {
    const codes = Object.keys(ERROR_KINDS);
    expect(new Set(codes.map(problemTypeOf)).size).toBe(codes.length);
    expect(new Set(codes.map(problemTitleOf)).size).toBe(codes.length);
    for (const code of codes) expect(problemTitleOf(code).length).toBeLessThan(60);
    expect(problemTitleOf('SUBJECT.BAD_CHECK_DIGIT')).toBe('Subject: bad check digit');
    expect(problemTitleOf('DEAD_LETTER.NOT_FOUND')).toBe('Dead letter: not found');
    expect(problemTitleOf('INTERNAL')).toBe('Internal error');
  });

  it('leaves out empty extension members', () => {
    expect(problemDetails('REQUEST.INVALID', 400, 'no', { context: {} })).toEqual({ type: '/problems/REQUEST.INVALID', title: 'Request: invalid', status: 400, detail: 'no', code: 'REQUEST.INVALID' });
  });
});
