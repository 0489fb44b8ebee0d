import { parseWhatIfRequest } from './what-if-request';

const period = { from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' };

describe('parseWhatIfRequest', () => {
  it('reads a draft and a period', () => {
    const request = parseWhatIfRequest({ period, draft: { memoranda: [{ file: 'judgment-debtors.json', content: '{}' }] } });
    expect(request.period.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(request.draft?.memoranda.map((m) => m.file)).toEqual(['judgment-debtors.json']);
  });

  it.each([
    [{ period }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, release: 'in-force', draft: { memoranda: [] } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, release: 'r-12' }, 'WHAT_IF.UNKNOWN_RELEASE'],
    [{ period, draft: { memoranda: [{ file: '../etc/passwd', content: '' }] } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { memoranda: [{ file: 'a.json', content: '{}' }, { file: 'a.json', content: '{}' }] } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period: { from: period.to, to: period.from }, release: 'in-force' }, 'WHAT_IF.BAD_PERIOD'],
    [{ period: { from: '2026-11-01', to: period.to }, release: 'in-force' }, 'WHAT_IF.BAD_PERIOD'],
    [{ period: { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, release: 'in-force' }, 'WHAT_IF.BAD_PERIOD'],
    [[], 'WHAT_IF.INVALID_REQUEST'],
  ])('refuses %j with %s', (body, code) => {
    expect(() => parseWhatIfRequest(body)).toThrow(expect.objectContaining({ code }));
  });
});
