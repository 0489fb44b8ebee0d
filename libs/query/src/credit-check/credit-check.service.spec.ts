import { DomainError, InvalidIdentifierError } from '@app/domain';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDITED_ENDPOINTS } from '../audit/query-audit.service';
import { CreditCheckService, parseSubjectIdentifier } from './credit-check.service';

const today = new Date('2026-11-27T00:00:00Z');

describe('parseSubjectIdentifier', () => {
  it('detects a USCC and a resident ID, normalised', () => {
    expect(parseSubjectIdentifier('91510802ma62xk0u3u', undefined, today)).toMatchObject({ idType: 'USCC', value: '91510802MA62XK0U3U' });
    expect(parseSubjectIdentifier('11010519491231002x', undefined, today)).toMatchObject({ idType: 'RESIDENT_ID', value: '11010519491231002X' });
    expect(parseSubjectIdentifier('510802199003071232', undefined, today)).toMatchObject({ idType: 'RESIDENT_ID' });
  });

  it('detects an all-digit USCC that is no valid resident ID', () => {
    expect(parseSubjectIdentifier('123502001549897397', undefined, today)).toMatchObject({ idType: 'USCC' });
  });

  it('reports an invalid identifier with the SUBJECT code of the type it resembles, masked', () => {
    const person = catchError(() => parseSubjectIdentifier('510802199003071233', undefined, today));
    expect(person).toBeInstanceOf(InvalidIdentifierError);
    expect(person.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(person.message).not.toContain('510802199003071233');
    expect(catchError(() => parseSubjectIdentifier('91510802MA62XK0U3A', undefined, today)).code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(catchError(() => parseSubjectIdentifier('abc', undefined, today)).code).toBe('SUBJECT.BAD_LENGTH');
  });

  it('takes an explicit idType, and refuses an unknown one', () => {
    expect(parseSubjectIdentifier('123502001549897397', 'USCC', today)).toMatchObject({ idType: 'USCC' });
    expect(catchError(() => parseSubjectIdentifier('123502001549897397', 'PASSPORT', today)).code).toBe('SUBJECT.UNKNOWN_ID_TYPE');
    expect(catchError(() => parseSubjectIdentifier('510802199003071232', 'USCC', today)).code).toMatch(/^SUBJECT\./);
  });
});

function catchError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('parseSubjectIdentifier with digit-only identifiers', () => {
  it('does not take a mistyped resident ID for a USCC even when the USCC check passes', () => {
    // 115102199003071040 is a valid USCC, and a resident ID (division 11, born 1990-03-07) with a wrong check character.
    expect(parseSubjectIdentifier('115102199003071040', 'USCC', today)).toMatchObject({ idType: 'USCC' });
    const error = catchError(() => parseSubjectIdentifier('115102199003071040', undefined, today));
    expect(error.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(error.message).toContain('idType=USCC');
    expect(error.message).not.toContain('115102199003071040');
  });
});

describe('CreditCheckService.checkWith', () => {
  // A stand-in for the one audited statement (PostgreSQL is the integration tests' part): it answers two measures, one of the item, one of the extension.
  const measure = (measureCode: string) => ({ measureCode, category: 'deny', text: { zh: measureCode, en: measureCode }, legalBasis: [], implementingDepartment: 'market-regulation', cooperatingDepartments: [], targetRole: 'subject', validFrom: '2026-04-01', validTo: '2027-03-31', disputed: false, decisionId: 'd1', memorandumId: 'm', explanation: { memorandum: null, rule: null, ruleSetRevision: null }, listEntry: null });
  const build = () => {
    const calls: Record<string, unknown>[] = [];
    const records = {
      checkAndLog: async (check: Record<string, unknown>) => {
        calls.push(check);
        return { outcome: 'answered', checkId: '7', entries: [], measures: [measure('JD-01'), measure('CB-01')], record: true, classes: [], sanctions: [], subjects: [], openCommitments: [], commitmentRecord: { open: 0, kept: 0, broken: 0 }, commitmentHistory: [] };
      },
    };
    const departments = { all: () => [{ code: 'market-regulation', name: { zh: '市场监管', en: 'Market regulation' } }], has: () => false, get: () => undefined, sanctionPublicityMonths: () => 3 };
    const memorandum = { measures: [{ code: 'JD-01' }, { code: 'CB-01' }] };
    const catalogue = { departments, rules: { ruleSet: { memoranda: [memorandum], list: () => undefined } } };
    const items = { items: [{ code: 'government-procurement', name: { zh: '政府采购', en: 'Procurement' }, departments: ['market-regulation'], measures: ['JD-01'] }] };
    // The service reads its approval items from a file (APPROVAL_ITEMS_FILE), as at start-up.
    const file = join(mkdtempSync(join(tmpdir(), 'approval-items-')), 'approval-items.json');
    writeFileSync(file, JSON.stringify(items));
    const config = { APPROVAL_ITEMS_FILE: file, CHECK_DISTINCT_PERSONS_PER_MINUTE: 30 };
    const clock = { now: () => today };
    const service = new CreditCheckService(catalogue as never, records as never, config as never, clock, { burstRefused: () => undefined } as never, { models: [] } as never, { classSupervision: () => null } as never);
    return { service, calls };
  };

  it('reads the extension measures and the history in the same statement, logged under the extension endpoint, and keeps the check to the item', async () => {
    const { service, calls } = build();
    const { check, alsoMeasures } = await service.checkWith(
      { department: 'market-regulation', subject: '91510802MA62XK0U3U', approvalItem: 'government-procurement' },
      { endpoint: AUDITED_ENDPOINTS.applicantReview, alsoMeasures: ['CB-01'], commitmentHistory: true },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ measureCodes: ['JD-01', 'CB-01'], commitmentHistory: true, burstEndpoints: [AUDITED_ENDPOINTS.creditCheck, AUDITED_ENDPOINTS.applicantReview, AUDITED_ENDPOINTS.reportIssue], audit: { endpoint: AUDITED_ENDPOINTS.applicantReview } });
    expect(check.measures.map((m) => m.code)).toEqual(['JD-01']);
    expect(alsoMeasures.map((m) => m.code)).toEqual(['CB-01']);
  });

  it('is the plain check without an extension', async () => {
    const { service, calls } = build();
    const check = await service.check({ department: 'market-regulation', subject: '91510802MA62XK0U3U', approvalItem: 'government-procurement' });
    expect(calls[0]).toMatchObject({ measureCodes: ['JD-01'], commitmentHistory: false, audit: { endpoint: AUDITED_ENDPOINTS.creditCheck } });
    expect(check.measures.map((m) => m.code)).toEqual(['JD-01']);
  });
});
