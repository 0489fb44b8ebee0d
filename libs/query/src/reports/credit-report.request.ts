import { REPORT_USE_CODES, REPORT_USES, ReportUse } from './credit-report.model';
import { CreditReportError } from './credit-report.errors';

export const MAX_REPORT_PURPOSE = 200;
const FIELDS = new Set(['subject', 'idType', 'use', 'purpose']);

/** POST /v1/reports, as checked: the identifier is validated by the credit check's parser afterwards. */
export interface CreditReportRequest {
  subject: string;
  idType?: string;
  use: ReportUse;
  /** Why the report is asked for (e.g. the tender's file number): required, at most MAX_REPORT_PURPOSE printable characters. */
  purpose: string;
}

export function parseReportRequest(body: unknown): CreditReportRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be a JSON object { subject, idType?, use, purpose }');
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw invalid(`unknown fields: ${unknown.slice(0, 5).map((k) => k.slice(0, 40)).join(', ')}`);
  const { subject, idType, use, purpose } = record;
  if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 40) throw invalid('subject is required: a unified social credit code or a resident identity number');
  if (idType !== undefined && typeof idType !== 'string') throw invalid('idType must be a string (USCC or RESIDENT_ID)');
  if (typeof use !== 'string' || !Object.prototype.hasOwnProperty.call(REPORT_USES, use)) {
    throw new CreditReportError('REPORT.UNKNOWN_USE', `use must be one of ${REPORT_USE_CODES.join(', ')}`, { known: REPORT_USE_CODES });
  }
  return { subject, idType, use: use as ReportUse, purpose: normalisePurpose(purpose) };
}

function normalisePurpose(raw: unknown): string {
  const purpose = typeof raw === 'string' ? raw.trim() : '';
  if (purpose === '') throw new CreditReportError('REPORT.PURPOSE_REQUIRED', "purpose is required: why the report is asked for, e.g. the tender's file number");
  // eslint-disable-next-line no-control-regex
  if ([...purpose].length > MAX_REPORT_PURPOSE || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(purpose)) {
    throw new CreditReportError('REPORT.BAD_PURPOSE', `purpose must be at most ${MAX_REPORT_PURPOSE} printable characters`, { length: purpose.length });
  }
  return purpose;
}

function invalid(message: string): CreditReportError {
  return new CreditReportError('REPORT.INVALID_REQUEST', message);
}
