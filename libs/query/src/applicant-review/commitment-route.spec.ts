import type { CheckedMeasure } from '../credit-check/credit-check.service';
import { reviewed } from './applicant-review.service';
import { commitmentRouteVerdict } from './commitment-route';

const measure = (code: string, category: string, overrides: Partial<CheckedMeasure> = {}): CheckedMeasure => ({
  code,
  category,
  text: { zh: code, en: code },
  legalBasis: [],
  implementingDepartment: 'market-regulation',
  cooperatingDepartments: [],
  yourRole: 'implementing',
  target: { role: 'subject', via: null },
  validFrom: '2026-04-01',
  validTo: '2027-03-31',
  disputed: false,
  explanation: { decisionId: `decision-${code}`, memorandum: null, rule: null, ruleSetRevision: null },
  ...overrides,
});

describe('the commitment route verdict (告知承诺)', () => {
  it('is open when no measure of the caller bars it', () => {
    expect(commitmentRouteVerdict('clear', [], [])).toEqual({ allowed: true, reasons: [] });
    // A key-supervision measure among the route's is not a bar: only a denial closes the route.
    expect(commitmentRouteVerdict('key-supervision', [measure('CB-05', 'key-supervision')], [measure('CB-05', 'key-supervision')]).allowed).toBe(true);
  });

  it('is closed while a "no commitment-based approval" measure is in force, naming it and its last day', () => {
    const verdict = commitmentRouteVerdict('clear', [], [measure('CB-01', 'deny')]);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toEqual([
      expect.objectContaining({ code: 'measure-in-force', measure: expect.objectContaining({ code: 'CB-01', decisionId: 'decision-CB-01', validTo: '2027-03-31' }) }),
    ]);
    expect(verdict.reasons[0].explanation.en).toContain('2027-03-31');
  });

  it('stays closed under an objection: a disputed measure still applies', () => {
    expect(commitmentRouteVerdict('clear', [], [measure('AB-03', 'deny', { disputed: true })]).reasons[0].measure.disputed).toBe(true);
  });

  it('is closed when the item itself is denied, once per measure even if it is also a route measure', () => {
    const procurementBan = measure('JD-01', 'deny');
    expect(commitmentRouteVerdict('deny', [procurementBan], []).reasons.map((r) => [r.code, r.measure.code])).toEqual([['item-denied', 'JD-01']]);
    const both = measure('CB-02', 'deny');
    expect(commitmentRouteVerdict('deny', [both], [both]).reasons.map((r) => r.code)).toEqual(['measure-in-force']);
    // A restriction of the item leaves the route open: the item is still granted, under conditions.
    expect(commitmentRouteVerdict('restrict', [measure('TAX-04', 'restrict')], []).allowed).toBe(true);
  });
});

describe('a reviewed commitment', () => {
  const row = { id: 'c1', department: 'market-regulation', reference: 'R1', approvalItemCode: 'food-business-licence', approvalItemName: '食品经营许可', dueOn: '2026-03-31' };

  it('says how it ended: kept, kept after a correction, broken, or broken and withdrawn', () => {
    expect(reviewed({ ...row, state: 'kept', closedOn: '2026-03-30', breachKind: null, corrected: false, withdrawnBy: null })).toMatchObject({ ended: 'kept', endedOn: '2026-03-30', breach: null });
    expect(reviewed({ ...row, state: 'kept', closedOn: '2026-03-30', breachKind: 'overdue', corrected: true, withdrawnBy: null }).ended).toBe('kept-corrected');
    expect(reviewed({ ...row, state: 'breached', closedOn: '2026-04-01', breachKind: 'overdue', corrected: false, withdrawnBy: null })).toMatchObject({ ended: 'broken', breach: { kind: 'overdue', withdrawnBy: null } });
    expect(reviewed({ ...row, state: 'breached', closedOn: '2026-03-10', breachKind: 'reported', corrected: false, withdrawnBy: 'repaired' })).toMatchObject({
      ended: 'breach-withdrawn',
      approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
      dueOn: '2026-03-31',
      breach: { kind: 'reported', withdrawnBy: 'repaired' },
    });
  });
});
