import { FeedbackError } from './feedback.errors';
import { parseFeedbackReport } from './feedback.dto';

const TODAY = '2026-11-23';
const applied = { outcome: 'applied', businessReference: '广元利州采〔2026〕18号', appliedOn: '2026-11-23' };

function violationsOf(body: unknown): { path: string; message: string }[] {
  try {
    parseFeedbackReport(body, TODAY);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedbackError);
    expect((error as FeedbackError).code).toBe('REQUEST.INVALID_FEEDBACK');
    return (error as FeedbackError).context.violations as { path: string; message: string }[];
  }
  throw new Error('expected the report to be refused');
}

describe('parseFeedbackReport', () => {
  it('accepts an applied measure without a reason, defaulting the optional fields', () => {
    expect(parseFeedbackReport(applied, TODAY)).toEqual({ ...applied, reason: null, operator: null, acknowledgeRevoked: false });
  });

  it.each(['exempted', 'not-applicable', 'failed'])('requires a reason for %s', (outcome) => {
    expect(violationsOf({ ...applied, outcome }).map((v) => v.path)).toEqual(['reason']);
    expect(violationsOf({ ...applied, outcome, reason: '   ' }).map((v) => v.path)).toEqual(['reason']);
    expect(parseFeedbackReport({ ...applied, outcome, reason: '首次轻微违法，及时纠正' }, TODAY).reason).toBe('首次轻微违法，及时纠正');
  });

  it('names every bad field', () => {
    const paths = violationsOf({ outcome: 'ignored', appliedOn: '2026-02-30', operator: '', acknowledgeRevoked: 'yes', extra: 1 }).map((v) => v.path);
    expect(paths.sort()).toEqual(['acknowledgeRevoked', 'appliedOn', 'businessReference', 'extra', 'operator', 'outcome']);
  });

  it('refuses an application date after today (China time)', () => {
    expect(violationsOf({ ...applied, appliedOn: '2026-11-24' })).toEqual([{ path: 'appliedOn', message: expect.stringContaining('future') }]);
    expect(violationsOf({ ...applied, appliedOn: '2026-11-24', extra: 1 }).map((v) => v.path).sort()).toEqual(['appliedOn', 'extra']);
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [undefined, null, 'applied', [applied]]) expect(violationsOf(body)).toHaveLength(1);
  });
});
