import { AUDITED_ENDPOINTS } from '../audit/query-audit.service';
import type { CheckedMeasure, CheckExtension, CreditCheckService, ExtendedCheck } from '../credit-check/credit-check.service';
import { ApplicantReviewService } from './applicant-review.service';
import { COMMITMENT_ROUTE_ITEM } from './commitment-route';

// The check itself is CreditCheckService's (its unit and integration tests); this stand-in answers what the review composes.
function checks(routeItem: boolean, routeMeasures: CheckedMeasure[]) {
  const asked: CheckExtension[] = [];
  const service = {
    approvalItems: { get: (code: string) => (routeItem && code === COMMITMENT_ROUTE_ITEM ? { code, measures: ['CB-01', 'AB-03'] } : undefined) },
    checkWith: async (_command: unknown, extension: CheckExtension): Promise<ExtendedCheck> => {
      asked.push(extension);
      return {
        check: {
          checkId: '9', checkedAt: '2026-04-10T02:00:00.000Z', asOf: '2026-04-10', department: 'market-regulation',
          approvalItem: { code: 'administrative-licensing', name: { zh: '行政许可', en: 'Administrative licensing' } },
          subject: { id: '91510802MA62XK0U3U', idType: 'USCC', kind: 'enterprise', name: null },
          record: true, outcome: 'clear', listMemberships: [], measures: [],
          commitments: { open: [], record: { open: 0, kept: 0, broken: 1 } }, creditClasses: [], selfDiscipline: null,
        },
        alsoMeasures: routeMeasures,
        commitmentHistory: [{ id: 'c1', department: 'market-regulation', reference: 'R1', approvalItemCode: 'x', approvalItemName: 'X', dueOn: '2026-03-31', state: 'breached', closedOn: '2026-04-01', breachKind: 'overdue', corrected: false, withdrawnBy: null }],
      };
    },
  };
  return { service: service as unknown as CreditCheckService, asked };
}

const cb01 = { code: 'CB-01', category: 'deny', text: { zh: 'CB-01', en: 'CB-01' }, validTo: '2027-03-31', disputed: false, explanation: { decisionId: 'd1' } } as CheckedMeasure;

describe('ApplicantReviewService', () => {
  it('refuses to start without the commitment-based-approval item, whose measures decide the route', () => {
    expect(() => new ApplicantReviewService(checks(false, []).service)).toThrow(expect.objectContaining({ code: 'CHECK.INVALID_APPROVAL_ITEMS' }));
  });

  it('asks the check for the route measures and the history under its own endpoint, and answers the verdict', async () => {
    const { service, asked } = checks(true, [cb01]);
    const review = await new ApplicantReviewService(service).review({ department: 'market-regulation', subject: '91510802MA62XK0U3U', approvalItem: 'administrative-licensing' });
    expect(asked).toEqual([{ endpoint: AUDITED_ENDPOINTS.applicantReview, alsoMeasures: ['CB-01', 'AB-03'], commitmentHistory: true }]);
    expect(review).toMatchObject({
      reviewId: '9',
      commitments: { record: { broken: 1 }, history: [{ id: 'c1', ended: 'broken', endedOn: '2026-04-01', breach: { kind: 'overdue', withdrawnBy: null } }] },
      commitmentRoute: { allowed: false, reasons: [{ code: 'measure-in-force', measure: { code: 'CB-01' } }] },
    });
  });
});
