import { createHash } from 'node:crypto';
import { parseCreditEvent } from '../events/parse-credit-event';
import { Department } from './department';
import { DepartmentRegistry } from './department-registry';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const court: Department = {
  code: 'court',
  name: { zh: '法院', en: 'Court' },
  publishes: { eventTypes: ['credit.judgment-debtor.listed.v1', 'credit.list-entry.added.v1'], lists: ['judgment-debtor'] },
  credentials: { tokenSha256: sha('court-secret') },
};
const tax: Department = { ...court, code: 'tax', publishes: { eventTypes: ['credit.list-entry.added.v1'], lists: ['major-tax-violation'] }, credentials: { tokenSha256: sha('tax-secret') } };
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
  });
});
