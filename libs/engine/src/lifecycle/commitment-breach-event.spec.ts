import type { CommitmentRow } from '@app/persistence';
import { commitmentBreachEvent, commitmentBreachEventId, commitmentWithdrawalEvent, commitmentWithdrawalEventId } from './commitment-breach-event';

const breached: CommitmentRow = {
  id: '3f0c1d52-6b8e-4d0a-9a51-0f7f0b5a2c11',
  department: 'housing',
  reference: '利住建承诺〔2026〕3号',
  contentHash: 'sha256:00',
  subjectKind: 'enterprise',
  subjectIdType: 'USCC',
  subjectId: '91510802MA6B3N4TXM',
  subjectName: '广元市利州区嘉禾商贸有限公司',
  approvalItemCode: 'construction-permit',
  approvalItemName: '建筑工程施工许可',
  promise: '承诺开工前取得消防设计审查意见',
  dueOn: '2026-06-30',
  approvalReference: 'SG510802202600017',
  approvalGrantedOn: '2026-03-01',
  state: 'breached',
  closedOn: '2026-07-01',
  // 00:10 on 2 July in China: the scheduler found it overdue a day late.
  closedAt: new Date('2026-07-01T16:10:00Z'),
  evidenceReference: null,
  breachKind: 'overdue',
  breachReason: 'not fulfilled by 2026-06-30',
  breachEventId: null,
  recordedAt: new Date('2026-03-01T02:00:00Z'),
  settledAt: null,
  correctedAt: null,
  correctionReason: null,
  correctedBy: null,
  withdrawalEventId: null,
};

describe('the breach event of a commitment', () => {
  it('is the recording department\'s, with an id derived from the commitment, decided on the China day it was recorded broken, the conduct ending the day it was broken', () => {
    const event = commitmentBreachEvent(breached, new Date('2026-07-01T16:10:00Z'));
    expect(event).toMatchObject({
      id: commitmentBreachEventId(breached.id),
      source: '/departments/housing',
      type: 'credit.commitment.breached.v1',
      subject: breached.subjectId,
      data: {
        subject: { kind: 'enterprise', idType: 'USCC', id: breached.subjectId, name: breached.subjectName },
        commitmentType: 'construction-permit',
        matter: '建筑工程施工许可：承诺开工前取得消防设计审查意见',
        documentNumber: '利住建承诺〔2026〕3号',
        decidedOn: '2026-07-02',
        conductEndedOn: '2026-07-01',
        // The measures' year runs from the day it was broken, not from the day the scheduler found it.
        validFrom: '2026-07-01',
      },
    });
    expect(commitmentBreachEvent(breached, new Date('2026-07-09T00:00:00Z')).id).toBe(event.id);
  });

  it('keeps a long promise within the event schema\'s 500 characters', () => {
    const event = commitmentBreachEvent({ ...breached, promise: '补'.repeat(2000) }, new Date('2026-07-02T00:00:00Z'));
    expect((event.data as { matter: string }).matter).toHaveLength(500);
  });

  it('is made only for a broken commitment', () => {
    expect(() => commitmentBreachEvent({ ...breached, state: 'open', closedOn: null, closedAt: null, breachKind: null }, new Date())).toThrow(/not breached/);
  });

  it('starts the measures on the day of a reported breach however late it was reported', () => {
    const reported = { ...breached, breachKind: 'reported' as const, closedOn: '2026-05-10', closedAt: new Date('2026-06-20T02:00:00Z') };
    expect(commitmentBreachEvent(reported, new Date('2026-06-20T02:05:00Z')).data).toMatchObject({ decidedOn: '2026-06-20', conductEndedOn: '2026-05-10', validFrom: '2026-05-10' });
  });
});

describe('the withdrawal event of a corrected breach', () => {
  const corrected: CommitmentRow = { ...breached, state: 'kept', closedOn: '2026-06-30', evidenceReference: '利住建核〔2026〕9号', correctedAt: new Date('2026-07-03T02:00:00Z'), correctionReason: '到期日前已提交，录入延误', breachEventId: commitmentBreachEventId(breached.id) };
  const decisionId = '0b9f6a52-3c1d-4e8a-9f27-6d5c4b3a2e10';

  it('removes the breach decision as from its list\'s identifying department, with an id derived from the decision', () => {
    const event = commitmentWithdrawalEvent(corrected, { decisionId, identifyingDepartment: 'development-reform' }, '2026-07-03', new Date('2026-07-03T02:01:00Z'));
    expect(event).toMatchObject({
      id: commitmentWithdrawalEventId(decisionId),
      source: '/departments/development-reform',
      type: 'credit.list-entry.removed.v1',
      data: { decisionId, decidedOn: '2026-07-03', documentNumber: corrected.reference, reason: 'commitment-kept-in-time', subject: { id: corrected.subjectId } },
    });
  });

  it('comes from the recording department for a decision without a list entry', () => {
    expect(commitmentWithdrawalEvent(corrected, { decisionId, identifyingDepartment: null }, '2026-07-03', new Date()).source).toBe('/departments/housing');
  });

  it('is made only for a corrected commitment', () => {
    expect(() => commitmentWithdrawalEvent({ ...corrected, correctedAt: null }, { decisionId, identifyingDepartment: null }, '2026-07-03', new Date())).toThrow(/not a corrected breach/);
  });
});
