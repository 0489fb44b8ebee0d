import { BreachDto, CommitmentDto, CorrectionDto, FulfilmentDto, parseBody } from './commitment.dto';

const valid = {
  reference: '利市监承诺〔2026〕17号',
  subject: { kind: 'enterprise', idType: 'USCC', id: '91510802MA6B3N4TXM', name: '广元市利州区嘉禾商贸有限公司' },
  approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
  promise: '承诺60日内补齐经营场所证明材料',
  dueOn: '2027-01-31',
  approval: { reference: 'JY15108020012345', grantedOn: '2026-12-01' },
};

const violations = (dto: Parameters<typeof parseBody>[0], body: unknown): string[] => {
  try {
    parseBody(dto, body);
    return [];
  } catch (error) {
    expect((error as { code: string }).code).toBe('REQUEST.INVALID_COMMITMENT');
    return ((error as { context: { violations: { path: string }[] } }).context.violations).map((v) => v.path);
  }
};

describe('commitment request bodies', () => {
  it('accepts a complete commitment', () => {
    expect(violations(CommitmentDto, valid)).toEqual([]);
  });

  it('names every invalid field by its path, nested ones included', () => {
    expect(violations(CommitmentDto, { ...valid, dueOn: '2027-02-30', approvalItem: { code: 'Food Licence', name: '' }, subject: { ...valid.subject, kind: 'company' } })).toEqual(
      expect.arrayContaining(['dueOn', 'approvalItem.code', 'approvalItem.name', 'subject.kind']),
    );
    expect(violations(CommitmentDto, { ...valid, extra: true })).toEqual(['extra']);
    expect(violations(CommitmentDto, [valid])).toEqual(['']);
  });

  it('asks a breach for its date and reason, a fulfilment for its date and evidence', () => {
    expect(violations(BreachDto, { breachedOn: '2026-12-01', reason: '核查不符' })).toEqual([]);
    expect(violations(BreachDto, { breachedOn: '2026-12-01', reason: '   ' })).toEqual(['reason']);
    expect(violations(FulfilmentDto, { fulfilledOn: '2026-12-01' })).toEqual(['evidenceReference']);
  });

  it('asks a correction for the fulfilment, its evidence and why it was reported late', () => {
    expect(violations(CorrectionDto, { fulfilledOn: '2026-12-01', evidenceReference: '利市监核〔2026〕88号', reason: '录入延误' })).toEqual([]);
    expect(violations(CorrectionDto, { fulfilledOn: '2026-12-01', evidenceReference: '利市监核〔2026〕88号' })).toEqual(['reason']);
    expect(violations(CorrectionDto, { fulfilledOn: 'late', evidenceReference: ' ', reason: ' ' })).toEqual(expect.arrayContaining(['fulfilledOn', 'evidenceReference', 'reason']));
  });
});
