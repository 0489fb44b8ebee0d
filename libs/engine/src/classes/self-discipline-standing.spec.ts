import { AssociationSanctionFact, DEFAULT_PUBLICITY } from '@app/rules';
import { selfDisciplineStanding } from './self-discipline-standing';

const sanction = (over: Partial<AssociationSanctionFact>): AssociationSanctionFact => ({
  association: 'construction-association',
  sanction: 'warning',
  industry: 'construction',
  reason: 'bid-rigging',
  documentNumber: '利建协〔2026〕1号',
  decidedOn: '2026-01-15',
  eventId: 'e1',
  ...over,
});

describe('self-discipline as class facts', () => {
  it('counts each kind shown on the day and names the day after the first shown sanction ends', () => {
    const standing = selfDisciplineStanding(
      [
        sanction({ eventId: 'w', sanction: 'warning' }), // through 2026-04-14
        sanction({ eventId: 'c', sanction: 'circulated-criticism' }), // through 2026-07-14
        sanction({ eventId: 'p', sanction: 'public-condemnation', conductEndedOn: '2021-03-01' }), // the five-year limit: through 2026-03-01
      ],
      '2026-02-01',
      DEFAULT_PUBLICITY,
    );
    expect(standing.facts).toEqual({ 'selfDiscipline.condemnations': 1, 'selfDiscipline.criticisms': 1, 'selfDiscipline.warnings': 1 });
    expect(standing.nextChangeOn).toBe('2026-03-02');
  });

  it('has nothing to count, and no day to look again, once every sanction has ended', () => {
    expect(selfDisciplineStanding([sanction({})], '2026-04-15', DEFAULT_PUBLICITY)).toEqual({
      facts: { 'selfDiscipline.condemnations': 0, 'selfDiscipline.criticisms': 0, 'selfDiscipline.warnings': 0 },
      nextChangeOn: null,
    });
  });

  it('counts a sanction decided for a later day only from that day, and names that day to look again', () => {
    const upcoming = [sanction({ eventId: 'later', sanction: 'public-condemnation', decidedOn: '2026-03-01' }), sanction({ eventId: 'now', sanction: 'warning' })];
    const before = selfDisciplineStanding(upcoming, '2026-02-01', DEFAULT_PUBLICITY);
    expect(before.facts).toEqual({ 'selfDiscipline.condemnations': 0, 'selfDiscipline.criticisms': 0, 'selfDiscipline.warnings': 1 });
    expect(before.nextChangeOn).toBe('2026-03-01');
    const on = selfDisciplineStanding(upcoming, '2026-03-01', DEFAULT_PUBLICITY);
    expect(on.facts['selfDiscipline.condemnations']).toBe(1);
    // The warning (shown through 2026-04-14) ends first.
    expect(on.nextChangeOn).toBe('2026-04-15');
    // One never to be shown (its conduct past the limit before it is decided) names no day.
    expect(selfDisciplineStanding([sanction({ decidedOn: '2026-03-01', conductEndedOn: '2021-01-01' })], '2026-02-01', DEFAULT_PUBLICITY).nextChangeOn).toBeNull();
  });
});
