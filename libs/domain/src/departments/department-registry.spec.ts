import { createHash } from 'node:crypto';
import { parseCreditEvent } from '../events/parse-credit-event';
import { Department, DepartmentDefinition } from './department';
import { DepartmentRegistry, developmentToken } from './department-registry';
import { issueToken, revokeToken } from './department-tokens';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const court: Department = {
  code: 'court',
  name: { zh: '法院', en: 'Court' },
  publishes: { eventTypes: ['credit.judgment-debtor.listed.v1', 'credit.list-entry.added.v1'], lists: ['judgment-debtor'] },
  credentials: { tokens: [{ sha256: sha('court-secret'), label: 'primary' }] },
};
const tax: Department = { ...court, code: 'tax', publishes: { eventTypes: ['credit.list-entry.added.v1'], lists: ['major-tax-violation'] }, credentials: { tokens: [{ sha256: sha('tax-secret'), label: 'primary' }] } };
const registry = new DepartmentRegistry([court, tax]);

const event = (source: string, type: string, listCode?: string) =>
  parseCreditEvent({
    specversion: '1.0',
    id: 'x',
    source,
    type,
    subject: '91350200776049653A',
    time: '2026-11-20T00:00:00Z',
    data: {
      subject: { kind: 'enterprise', idType: 'USCC', id: '91350200776049653A', name: 'n' },
      documentNumber: 'd',
      decidedOn: '2026-11-20',
      reason: 'evading-execution',
      ...(listCode ? { listCode } : {}),
    },
  });

describe('DepartmentRegistry', () => {
  it('authenticates a department by its bearer token and refuses others alike', () => {
    expect(registry.authenticate('court-secret').code).toBe('court');
    expect(() => registry.authenticate('nope')).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
    expect(() => registry.authenticate(undefined)).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
  });

  it('lets a department publish what the registry grants it', () => {
    expect(() => registry.authorisePublication(court, event('/departments/court', 'credit.judgment-debtor.listed.v1'))).not.toThrow();
  });

  it('refuses publishing under another department\'s name, another event type, or another department\'s list', () => {
    expect(() => registry.authorisePublication(tax, event('/departments/court', 'credit.judgment-debtor.listed.v1'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.SOURCE_MISMATCH' }));
    expect(() => registry.authorisePublication(tax, event('/departments/tax', 'credit.judgment-debtor.listed.v1'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED' }));
    expect(() => registry.authorisePublication(tax, event('/departments/tax', 'credit.list-entry.added.v1', 'judgment-debtor'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.LIST_NOT_ALLOWED' }));
  });

  it('refuses an invalid registry with every problem named', () => {
    expect(() => new DepartmentRegistry([{ ...court, code: 'Bad Code', credentials: { tokenSha256: 'short' } }])).toThrow(/bad department code.*tokenSha256/);
    expect(() => new DepartmentRegistry([court, court])).toThrow(/declared twice/);
    const bad = { ...court, credentials: { tokens: [{ sha256: 'A'.repeat(64), label: 'a b' }, { sha256: sha('x'), label: 'p', notAfter: 'soon' }, { sha256: sha('y'), label: 'p' }] } };
    expect(() => new DepartmentRegistry([bad])).toThrow(/tokens\[0\]\.sha256 must be 64 lowercase hex.*tokens\[0\]\.label must be.*tokens\[1\]\.notAfter must be an ISO 8601.*tokens\[2\]\.label "p" is used twice/);
  });

  it('refuses one token hash listed twice without printing it', () => {
    const shared = { ...tax, credentials: { tokens: [{ sha256: sha('court-secret'), label: 'copied' }] } };
    expect(() => new DepartmentRegistry([court, shared])).toThrow(/one token is listed more than once \(court\/primary, tax\/copied\)/);
    expect(() => new DepartmentRegistry([court, shared])).not.toThrow(new RegExp(sha('court-secret')));
  });
});

describe('DepartmentRegistry with several tokens per department', () => {
  const rotating: Department = {
    ...court,
    credentials: {
      tokens: [
        { sha256: sha('court-old'), label: 'old', notAfter: '2026-12-31T16:00:00Z' },
        { sha256: sha('court-new'), label: 'new' },
      ],
    },
  };
  const registry = new DepartmentRegistry([rotating, tax]);

  it('accepts every active token of a department, naming the one used', () => {
    const before = new Date('2026-12-01T00:00:00Z');
    expect(registry.identify('court-old', before)).toMatchObject({ department: { code: 'court' }, label: 'old' });
    expect(registry.identify('court-new', before)).toMatchObject({ department: { code: 'court' }, label: 'new' });
    expect(registry.authenticate('tax-secret', before).code).toBe('tax');
  });

  it('refuses a token from its notAfter instant on, like an unknown one', () => {
    expect(() => registry.authenticate('court-old', new Date('2026-12-31T16:00:00Z'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
    expect(registry.authenticate('court-new', new Date('2027-06-01T00:00:00Z')).code).toBe('court');
  });

  it('reads the single tokenSha256 of older files as one token', () => {
    const legacy: DepartmentDefinition = { ...court, credentials: { tokenSha256: sha('court-secret') } };
    const read = new DepartmentRegistry([legacy]);
    expect(read.identify('court-secret')).toMatchObject({ department: { code: 'court' }, label: 'legacy' });
    expect(read.get('court').credentials.tokens).toEqual([{ sha256: sha('court-secret'), label: 'legacy' }]);
    expect(() => new DepartmentRegistry([{ ...court, credentials: { tokenSha256: sha('a'), tokens: [] } as never }])).toThrow(/not both/);
  });

  it('finds a development token among any of a department\'s tokens, its own or another\'s', () => {
    const withDevelopment = (code: string, token: string): Department => ({ ...court, code, credentials: { tokens: [{ sha256: sha(`${code}-real`), label: 'real' }, { sha256: sha(token), label: 'dev' }] } });
    expect(new DepartmentRegistry([withDevelopment('court', developmentToken('court')), tax]).withDevelopmentTokens()).toEqual(['court']);
    expect(new DepartmentRegistry([withDevelopment('court', developmentToken('tax')), tax]).withDevelopmentTokens()).toEqual(['court']);
    expect(registry.withDevelopmentTokens()).toEqual([]);
  });

  it('lets a department hold no token at all (it publishes over Kafka only, or is suspended)', () => {
    const none = new DepartmentRegistry([{ ...court, credentials: { tokens: [] } }]);
    expect(() => none.authenticate('court-secret')).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
  });
});

describe('issuing and revoking tokens', () => {
  const document = { $comment: 'kept', departments: [{ ...court, credentials: { tokenSha256: sha('court-secret') } }, tax] as DepartmentDefinition[] };
  const now = new Date('2026-12-07T10:15:00Z');

  it('adds a random token next to the existing ones and stores only its hash', () => {
    const issued = issueToken(document, 'court', { now, label: 'ops-2026' });
    expect(issued.token).toMatch(/^court\.[A-Za-z0-9_-]{43}$/);
    expect(issued.entry).toEqual({ sha256: sha(issued.token), label: 'ops-2026', issuedAt: '2026-12-07T10:15:00.000Z' });
    expect(JSON.stringify(issued.document)).not.toContain(issued.token);
    expect(issued.document.$comment).toBe('kept');
    const registry = new DepartmentRegistry(issued.document.departments);
    expect(registry.identify(issued.token).label).toBe('ops-2026');
    expect(registry.identify('court-secret').label).toBe('legacy');
    expect(document.departments[0].credentials).toEqual({ tokenSha256: sha('court-secret') });
  });

  it('gives each token its own label and its own random value', () => {
    const first = issueToken(document, 'court', { now });
    const second = issueToken(first.document, 'court', { now });
    expect([first.entry.label, second.entry.label]).toEqual(['t-20261207-101500', 't-20261207-101500-2']);
    expect(first.token).not.toBe(second.token);
    expect(() => issueToken(first.document, 'court', { now, label: 't-20261207-101500' })).toThrow(/already has a token labelled/);
    expect(() => issueToken(document, 'court', { now, label: 'bad label' })).toThrow(/label must be/);
    expect(() => issueToken(document, 'nobody', { now })).toThrow(expect.objectContaining({ code: 'DEPARTMENT.UNKNOWN' }));
  });

  it('revokes a token by its label and keeps the others', () => {
    const issued = issueToken(document, 'court', { now, label: 'next', notAfter: new Date('2027-01-01T00:00:00Z') });
    expect(issued.entry.notAfter).toBe('2027-01-01T00:00:00.000Z');
    const { document: revoked, remaining } = revokeToken(issued.document, 'court', 'legacy');
    expect(remaining.map((t) => t.label)).toEqual(['next']);
    const registry = new DepartmentRegistry(revoked.departments);
    expect(() => registry.authenticate('court-secret')).toThrow(expect.objectContaining({ code: 'DEPARTMENT.NOT_AUTHENTICATED' }));
    expect(registry.authenticate(issued.token, now).code).toBe('court');
    expect(() => revokeToken(revoked, 'court', 'legacy')).toThrow(expect.objectContaining({ code: 'DEPARTMENT.UNKNOWN_TOKEN', message: expect.stringContaining('it has: next') }));
  });
});
