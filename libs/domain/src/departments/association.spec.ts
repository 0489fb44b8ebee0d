import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCreditEvent } from '../events/parse-credit-event';
import { Department, DepartmentDefinition } from './department';
import { DepartmentRegistry } from './department-registry';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const MEMBER = '91510802MA6C0NJ10W';
const OUTSIDER = '91350200776049653A';

const construction: Department = {
  code: 'construction-association',
  kind: 'association',
  name: { zh: '建筑业协会', en: 'Construction association' },
  association: { industry: 'construction', sanctions: ['warning', 'circulated-criticism', 'public-condemnation'], membership: { rule: 'listed', members: [MEMBER] } },
  publishes: { eventTypes: ['credit.association.sanction.v1'], lists: [] },
  credentials: { tokens: [{ sha256: sha('construction-secret'), label: 'primary' }] },
};
const tourism: Department = {
  ...construction,
  code: 'tourism-association',
  association: { industry: 'tourism', sanctions: ['warning'], membership: { rule: 'declared' } },
  credentials: { tokens: [{ sha256: sha('tourism-secret'), label: 'primary' }] },
};
const registry = new DepartmentRegistry([construction, tourism]);

function sanction(source: string, subject: string, extra: Record<string, unknown> = {}) {
  return parseCreditEvent({
    specversion: '1.0',
    id: 'x',
    source,
    type: 'credit.association.sanction.v1',
    subject,
    time: '2026-11-20T00:00:00Z',
    data: {
      subject: { kind: 'enterprise', idType: 'USCC', id: subject, name: 'n' },
      documentNumber: '利建协〔2026〕3号',
      decidedOn: '2026-11-20',
      sanction: 'public-condemnation',
      industry: 'construction',
      reason: 'bid-rigging',
      ...extra,
    },
  });
}

describe('associations in the departments registry', () => {
  it('lets an association sanction a member on its list, with a sanction it may impose, in its industry', () => {
    expect(() => registry.authorisePublication(construction, sanction('/departments/construction-association', MEMBER))).not.toThrow();
  });

  it('refuses a sanction about a subject not on its member list (SUBJECT.NOT_A_MEMBER), even one stating when it joined', () => {
    const error = captured(() => registry.authorisePublication(construction, sanction('/departments/construction-association', OUTSIDER, { memberSince: '2020-01-01' })));
    expect(error).toMatchObject({ code: 'SUBJECT.NOT_A_MEMBER', context: { association: 'construction-association', membership: 'listed' } });
    // The context names no subject: the identifier may be a natural person's.
    expect(JSON.stringify(error)).not.toContain(OUTSIDER);
  });

  it('takes the sanction\'s word for membership where no list is kept, and requires it to be given', () => {
    const event = (extra: Record<string, unknown>) => sanction('/departments/tourism-association', OUTSIDER, { industry: 'tourism', sanction: 'warning', ...extra });
    expect(() => registry.authorisePublication(tourism, event({ memberSince: '2019-03-01' }))).not.toThrow();
    expect(() => registry.authorisePublication(tourism, event({}))).toThrow(expect.objectContaining({ code: 'SUBJECT.NOT_A_MEMBER' }));
  });

  it('refuses a sanction kind its entry does not grant, and another industry', () => {
    const base = { memberSince: '2019-03-01', industry: 'tourism' };
    expect(() => registry.authorisePublication(tourism, sanction('/departments/tourism-association', OUTSIDER, base))).toThrow(
      expect.objectContaining({ code: 'ASSOCIATION.SANCTION_NOT_ALLOWED', context: expect.objectContaining({ sanction: 'public-condemnation', allowed: ['warning'] }) }),
    );
    expect(() => registry.authorisePublication(tourism, sanction('/departments/tourism-association', OUTSIDER, { ...base, sanction: 'warning', industry: 'construction' }))).toThrow(
      expect.objectContaining({ code: 'ASSOCIATION.INDUSTRY_MISMATCH' }),
    );
  });

  it('refuses a sanction from a government department, and an association publishing anything else', () => {
    const housing: DepartmentDefinition = { ...construction, code: 'housing', kind: undefined, association: undefined, credentials: { tokens: [{ sha256: sha('h'), label: 'p' }] } };
    expect(() => new DepartmentRegistry([housing])).toThrow(/housing: only an association may publish credit.association.sanction.v1/);
    const overreaching: DepartmentDefinition = { ...construction, publishes: { eventTypes: ['credit.association.sanction.v1', 'credit.list-entry.added.v1'], lists: ['judgment-debtor'] } };
    expect(() => new DepartmentRegistry([overreaching])).toThrow(/publishes only credit.association.sanction.v1 and credit.association.sanction.withdrawn.v1 \(not credit.list-entry.added.v1\).*identifies no list/);
  });

  it('refuses an association entry without a usable profile, every problem named', () => {
    const broken = {
      ...construction,
      association: { industry: 'Construction', sanctions: ['reprimand'], membership: { rule: 'listed', members: ['91510802MA6C0NJ10A', '91510802ma6c0nj10w'] } },
    } as unknown as DepartmentDefinition;
    expect(() => new DepartmentRegistry([broken])).toThrow(
      /association.industry must be a kebab-case code.*unknown association sanction "reprimand".*members\[0\] is not a valid unified social credit code.*members\[1\] must be written upper case/,
    );
    expect(() => new DepartmentRegistry([{ ...construction, association: undefined }])).toThrow(/an association needs "association"/);
    const months = { ...construction, association: { ...construction.association!, publicityMonths: { warning: -1, reprimand: 3 } } } as unknown as DepartmentDefinition;
    expect(() => new DepartmentRegistry([months])).toThrow(/publicityMonths.warning must be a whole number.*unknown sanction "reprimand"/);
  });

  it('states how long each sanction stays in the record, the entry\'s own months over the defaults', () => {
    const own = new DepartmentRegistry([{ ...construction, association: { ...construction.association!, publicityMonths: { 'public-condemnation': 24 } } }]);
    expect(own.sanctionPublicityMonths('construction-association')).toEqual({ warning: 3, 'circulated-criticism': 6, 'public-condemnation': 24 });
    expect(registry.associations().map((a) => a.code)).toEqual(['construction-association', 'tourism-association']);
  });

  it('accepts the shipped registry, its associations among the publishers', () => {
    const shipped = JSON.parse(readFileSync(resolve(__dirname, '../../../../config/departments.json'), 'utf8'));
    const loaded = new DepartmentRegistry(shipped.departments);
    expect(loaded.associations().map((a) => [a.code, a.association?.industry])).toEqual([
      ['construction-association', 'construction'],
      ['food-association', 'food'],
      ['tourism-association', 'tourism'],
    ]);
  });
});

function captured(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}
