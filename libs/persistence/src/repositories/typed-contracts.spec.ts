import type { ClosedCommitmentRow, LoggedCheck } from './subject-record.repository';
import type { SupervisionSampleRow } from './supervision-sample.repository';
import { AUDITED_ENDPOINTS } from './audited-endpoints';

// The rows' closed sets are checked by the compiler (npm run typecheck): each @ts-expect-error fails the build if the field widens to string again.
describe('typed row contracts', () => {
  it('accepts only the closed sets', () => {
    // @ts-expect-error a frequency no plan can have
    const frequency: SupervisionSampleRow['frequency'] = 'fortnight';
    // @ts-expect-error a method this code does not draw with
    const method: SupervisionSampleRow['method'] = 'pick-the-first/v0';
    // @ts-expect-error expiry does not take a breach back
    const withdrawnBy: ClosedCommitmentRow['withdrawnBy'] = 'expired';
    // @ts-expect-error an endpoint that is not audited
    const endpoints: LoggedCheck['burstEndpoints'] = ['GET /v1/anything'];
    const good: [SupervisionSampleRow['frequency'], ClosedCommitmentRow['withdrawnBy'], LoggedCheck['burstEndpoints']] = ['quarter', 'repaired', [AUDITED_ENDPOINTS.creditCheck]];
    expect([frequency, method, withdrawnBy, endpoints, good]).toHaveLength(5);
  });
});
