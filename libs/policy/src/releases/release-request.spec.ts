import { ReleaseError } from '@app/rules';
import { parseApprovalRequest, parseDraftRequest, parseVersion } from './release-request';

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ReleaseError ? error.code : String(error);
  }
}

describe('release requests', () => {
  it('takes each file as text or as its JSON object', () => {
    const draft = parseDraftRequest({ content: { memoranda: { 'a-b.json': { id: 'a-b' } }, instruments: '{"instruments":[]}' }, author: ' 王芳 ' });
    expect(draft).toEqual({ content: { memoranda: { 'a-b.json': '{\n  "id": "a-b"\n}\n' }, instruments: '{"instruments":[]}' }, author: '王芳', notes: '' });
  });

  it('refuses what is not a draft with RELEASE.INVALID_REQUEST', () => {
    const content = { memoranda: {}, instruments: '{}' };
    for (const body of [null, [], { content, author: '' }, { content, author: 'x'.repeat(101) }, { content: { memoranda: { '../x.json': '{}' }, instruments: '{}' }, author: 'a' }, { content: { memoranda: { 'a.cases.json': '{}' }, instruments: '{}' }, author: 'a' }, { content: { memoranda: {}, instruments: 3 }, author: 'a' }]) {
      expect(code(() => parseDraftRequest(body))).toBe('RELEASE.INVALID_REQUEST');
    }
  });

  it('refuses NUL and control characters, which PostgreSQL would refuse with a 500, with RELEASE.INVALID_REQUEST', () => {
    const content = { memoranda: { 'a-b.json': '{}' }, instruments: '{}' };
    for (const body of [
      { content, author: 'a\u0000' },
      { content, author: 'a\nb' },
      { content, author: 'a', notes: 'x\u0000' },
      { content: { memoranda: { 'a-b.json': '{"id":"a\u0000"}' }, instruments: '{}' }, author: 'a' },
      { content: { memoranda: { 'a-b.json': { id: 'a\u0000' } }, instruments: '{}' }, author: 'a' },
    ]) {
      expect(code(() => parseDraftRequest(body))).toBe('RELEASE.INVALID_REQUEST');
    }
  });

  it("takes the memoranda's rule cases with them, and refuses cases of a memorandum the content does not hold", () => {
    const content = { memoranda: { 'judgment-debtors.json': '{}' }, instruments: '{}', cases: { 'judgment-debtors.cases.json': { memorandum: 'judgment-debtors', cases: [] } } };
    expect(parseDraftRequest({ content, author: '王芳' }).content.cases).toEqual({ 'judgment-debtors.cases.json': `${JSON.stringify({ memorandum: 'judgment-debtors', cases: [] }, null, 2)}\n` });
    expect(parseDraftRequest({ content: { ...content, cases: undefined }, author: '王芳' }).content.cases).toBeUndefined();
    expect(code(() => parseDraftRequest({ content: { ...content, cases: { 'wage-arrears.cases.json': '{}' } }, author: '王芳' }))).toBe('RELEASE.INVALID_REQUEST');
    expect(code(() => parseDraftRequest({ content: { ...content, cases: { 'judgment-debtors.json': '{}' } }, author: '王芳' }))).toBe('RELEASE.INVALID_REQUEST');
    expect(code(() => parseDraftRequest({ content: { ...content, cases: [] }, author: '王芳' }))).toBe('RELEASE.INVALID_REQUEST');
  });

  it('needs an effective time with its offset', () => {
    expect(parseApprovalRequest({ approver: '李强', effectiveAt: '2026-12-02T00:00:00+08:00' }).effectiveAt.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(code(() => parseApprovalRequest({ approver: '李强', effectiveAt: '2026-12-02T00:00:00' }))).toBe('RELEASE.INVALID_REQUEST');
    expect(code(() => parseApprovalRequest({ approver: '李强', effectiveAt: 'tomorrow' }))).toBe('RELEASE.INVALID_REQUEST');
  });

  it('takes positive integer versions only', () => {
    expect(parseVersion('12')).toBe(12);
    for (const v of ['0', '-1', '1.5', 'abc', '01', '9999999999']) expect(code(() => parseVersion(v))).toBe('RELEASE.INVALID_REQUEST');
  });
});
