import { AssociationSanctionFact, sanctionPublicUntil, sanctionShownUntil, selfDisciplineRecordOf } from './self-discipline-record';

const fact = (over: Partial<AssociationSanctionFact>): AssociationSanctionFact => ({
  association: 'construction-association',
  sanction: 'warning',
  industry: 'construction',
  reason: 'bid-rigging',
  documentNumber: '利建协〔2026〕1号',
  decidedOn: '2026-01-15',
  eventId: 'e1',
  ...over,
});

describe('self-discipline record', () => {
  it('shows a sanction from its decision day through the day before the corresponding day months later', () => {
    expect(sanctionPublicUntil('2026-01-15', 3)).toBe('2026-04-14');
    // The Civil Code's month end: 31 August + 6 months has no 31st, so the period ends on the last day of February.
    expect(sanctionPublicUntil('2025-08-31', 6)).toBe('2026-02-27');
    const warning = [fact({})];
    expect(selfDisciplineRecordOf(warning, '2026-01-14').counts.warning).toBe(0);
    expect(selfDisciplineRecordOf(warning, '2026-01-15').counts.warning).toBe(1);
    expect(selfDisciplineRecordOf(warning, '2026-04-14').counts.warning).toBe(1);
    expect(selfDisciplineRecordOf(warning, '2026-04-15').counts.warning).toBe(0);
  });

  it('counts by kind within each kind\'s period and groups by association, each with its own months', () => {
    const facts = [
      fact({ eventId: 'w', sanction: 'warning', decidedOn: '2026-01-15' }),
      fact({ eventId: 'c', sanction: 'circulated-criticism', decidedOn: '2025-09-01' }),
      fact({ eventId: 'p', sanction: 'public-condemnation', decidedOn: '2025-06-01' }),
      fact({ eventId: 'f', association: 'food-association', industry: 'food', sanction: 'public-condemnation', decidedOn: '2025-06-01' }),
    ];
    const months = (association: string) =>
      association === 'food-association' ? { warning: 3, 'circulated-criticism': 6, 'public-condemnation': 6 } : { warning: 3, 'circulated-criticism': 6, 'public-condemnation': 12 };
    const record = selfDisciplineRecordOf(facts, '2026-02-01', months);
    // The criticism of 2025-09-01 is shown through 2026-02-28; the food association's condemnation (its own 6 months) ended 2025-11-30.
    expect(record.counts).toEqual({ warning: 1, 'circulated-criticism': 1, 'public-condemnation': 1 });
    expect(record.byAssociation.map((a) => [a.association, a.sanctions.map((s) => [s.eventId, s.publicUntil])])).toEqual([
      [
        'construction-association',
        [
          ['p', '2026-05-31'],
          ['c', '2026-02-28'],
          ['w', '2026-04-14'],
        ],
      ],
    ]);
    expect(selfDisciplineRecordOf([], '2026-02-01')).toEqual({ asOf: '2026-02-01', counts: { warning: 0, 'circulated-criticism': 0, 'public-condemnation': 0 }, byAssociation: [] });
  });
});

describe('self-discipline record and the five-year limit', () => {
  it('stops showing a sanction on the last usable day of its conduct, when that comes before its publicity ends', () => {
    // Conduct ended 2021-03-01: usable through 2026-03-01; the condemnation of 2026-01-15 would be public through 2027-01-14.
    const late = [fact({ sanction: 'public-condemnation', decidedOn: '2026-01-15', conductEndedOn: '2021-03-01' })];
    expect(sanctionShownUntil(late[0], 12)).toBe('2026-03-01');
    expect(selfDisciplineRecordOf(late, '2026-03-01').counts['public-condemnation']).toBe(1);
    expect(selfDisciplineRecordOf(late, '2026-03-02').counts['public-condemnation']).toBe(0);
    expect(selfDisciplineRecordOf(late, '2026-03-01').byAssociation[0].sanctions[0].publicUntil).toBe('2026-03-01');
    // Without a stated conduct end the decision date counts: a 12-month publicity ends long before five years.
    expect(sanctionShownUntil({ decidedOn: '2026-01-15' }, 12)).toBe('2027-01-14');
    expect(sanctionShownUntil({ decidedOn: '2026-01-15' }, 60)).toBe('2031-01-14');
  });
});
