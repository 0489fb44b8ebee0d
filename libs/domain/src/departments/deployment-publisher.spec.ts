import { createHash } from 'node:crypto';
import { findingDepartmentOf } from '../events/credit-event';
import { parseCreditEvent } from '../events/parse-credit-event';
import { Department } from './department';
import { DepartmentRegistry } from './department-registry';

// A peer deployment (市区失信信息互通): the city's or a district's engine relaying what was published
// there. It must say where each event came from; no department may claim an origin.

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const DEBTOR = '91510802MA6B3N4TXM';
const PROVENANCE = { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: '5fb57a42-2dad-4ceb-bae4-5a8ef95074b8', route: 'lizhou' };

const district: Department = {
  code: 'lizhou-district',
  kind: 'deployment',
  name: { zh: '利州区信用平台', en: 'Lizhou District credit platform' },
  publishes: { eventTypes: ['credit.judgment-debtor.listed.v1', 'credit.repair.approved.v1'], lists: ['judgment-debtor'] },
  credentials: { tokens: [{ sha256: sha('district-bridge'), label: 'bridge' }] },
};
const court: Department = {
  code: 'court',
  name: { zh: '市中级人民法院', en: 'Intermediate People\'s Court' },
  publishes: { eventTypes: ['credit.judgment-debtor.listed.v1'], lists: ['judgment-debtor'] },
  credentials: { tokens: [{ sha256: sha('court'), label: 'primary' }] },
};
const registry = new DepartmentRegistry([district, court]);

function listing(source: string, provenance?: Record<string, unknown>) {
  return parseCreditEvent({
    specversion: '1.0',
    id: 'relayed-1',
    source,
    type: 'credit.judgment-debtor.listed.v1',
    subject: DEBTOR,
    time: '2026-11-20T08:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: DEBTOR, name: '广元市利州区嘉禾商贸有限公司' }, documentNumber: '（2026）川0802执1234号', decidedOn: '2026-11-20', reason: 'evading-execution', ...(provenance ? { provenance } : {}) },
  });
}

describe('peer deployments in the departments registry', () => {
  it('lets a peer deployment relay an event that says where it was published, read as that department\'s finding', () => {
    const relayed = listing('/departments/lizhou-district', PROVENANCE);
    expect(() => registry.authorisePublication(district, relayed)).not.toThrow();
    expect(findingDepartmentOf(relayed)).toBe('court');
    expect(findingDepartmentOf(listing('/departments/court'))).toBe('court');
  });

  it('refuses a relayed event without provenance, and a department claiming one', () => {
    expect(() => registry.authorisePublication(district, listing('/departments/lizhou-district'))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.PROVENANCE_REQUIRED' }));
    expect(() => registry.authorisePublication(court, listing('/departments/court', PROVENANCE))).toThrow(expect.objectContaining({ code: 'DEPARTMENT.PROVENANCE_NOT_ALLOWED' }));
  });

  it('validates provenance like any data: codes, and a route of deployment codes origin first', () => {
    expect(() => listing('/departments/lizhou-district', { ...PROVENANCE, route: 'lizhou>guangyuan' })).not.toThrow();
    for (const route of ['', 'Lizhou', 'lizhou>', 'lizhou>>guangyuan', 'a>b>c>d>e>f>g>h>i']) {
      expect(() => listing('/departments/lizhou-district', { ...PROVENANCE, route })).toThrow(/route/);
    }
    expect(() => listing('/departments/lizhou-district', { ...PROVENANCE, department: undefined })).toThrow(/department/);
  });

  it('refuses a peer deployment that would assess departments, and an unknown kind', () => {
    expect(() => new DepartmentRegistry([{ ...district, assessesDepartments: true }])).toThrow(/a peer deployment does not assess departments/);
    expect(() => new DepartmentRegistry([{ ...district, kind: 'platform' as never }])).toThrow(/kind must be "department", "association" or "deployment"/);
  });
});
