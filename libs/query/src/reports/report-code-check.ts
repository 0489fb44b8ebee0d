import type { CreditReportRepository } from '@app/persistence';
import { codeMatches, isReportNumber, isWellFormedCode, spendCodeComparison } from './report-identifiers';
import type { VerificationGate } from './verification-gate';

/**
 * The first step of a public verification: whether `code` is the verification code of report
 * `number`. A number or code that cannot be one is refused at once, with no database read and no
 * scrypt (the open route's cheap answer, which depends on neither table nor secret); a well-formed
 * pair reads only the stored code hash and always spends one scrypt, under the gate, so an unknown
 * number and a wrong code take the same time.
 */
export class ReportCodeCheck {
  constructor(
    private readonly reports: Pick<CreditReportRepository, 'findCodeHash'>,
    private readonly gate: VerificationGate,
  ) {}

  async matches(number: string, code: string | undefined): Promise<boolean> {
    if (!isReportNumber(number) || code === undefined || !isWellFormedCode(code)) return false;
    return this.gate.run(async () => {
      const stored = await this.reports.findCodeHash(number);
      if (stored === undefined) {
        await spendCodeComparison(code);
        return false;
      }
      return codeMatches(code, stored);
    });
  }
}
