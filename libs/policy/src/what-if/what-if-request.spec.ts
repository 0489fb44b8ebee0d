import { parseEditedFileWhatIfRequest, parseWhatIfRequest } from './what-if-request';

const period = { from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' };

describe('parseWhatIfRequest', () => {
  it('reads a draft and a period', () => {
    const request = parseWhatIfRequest({ period, draft: { memoranda: [{ file: 'judgment-debtors.json', content: '{}' }] } });
    expect(request.period.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(request.rules.kind === 'draft' && request.rules.draft.memoranda.map((m) => m.file)).toEqual(['judgment-debtors.json']);
  });

  it('names the rule set in force or a stored release by its version', () => {
    expect(parseWhatIfRequest({ period, release: 'in-force' }).rules).toEqual({ kind: 'in-force' });
    expect(parseWhatIfRequest({ period, release: 3 }).rules).toEqual({ kind: 'release', version: 3 });
    expect(parseWhatIfRequest({ period, release: '12' }).rules).toEqual({ kind: 'release', version: 12 });
  });

  it.each([
    [{ period }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, release: 'in-force', draft: { memoranda: [] } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, release: 'r-12' }, 'WHAT_IF.UNKNOWN_RELEASE'],
    [{ period, release: 0 }, 'WHAT_IF.UNKNOWN_RELEASE'],
    [{ period, release: 1.5 }, 'WHAT_IF.UNKNOWN_RELEASE'],
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

describe('parseEditedFileWhatIfRequest', () => {
  it('reads one edited memorandum file, or a release version', () => {
    expect(parseEditedFileWhatIfRequest({ period, draft: { file: 'judgment-debtors.json', content: '{}' } }).rules).toEqual({ kind: 'edited-file', file: { file: 'judgment-debtors.json', content: '{}' } });
    expect(parseEditedFileWhatIfRequest({ period, release: 4 }).rules).toEqual({ kind: 'release', version: 4 });
  });

  it.each([
    [{ period, release: 'in-force' }, 'WHAT_IF.UNKNOWN_RELEASE'],
    [{ period, draft: { memoranda: [{ file: 'judgment-debtors.json', content: '{}' }] } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { file: 'rules.schema/../x.json', content: '{}' } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { file: 'judgment-debtors.cases.json', content: '{}' } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { file: 'judgment-debtors.json', content: 42 } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { file: 'judgment-debtors.json', content: 'x'.repeat(256 * 1024 + 1) } }, 'WHAT_IF.INVALID_REQUEST'],
    [{ period, draft: { file: 'judgment-debtors.json', content: '{}' }, release: 2 }, 'WHAT_IF.INVALID_REQUEST'],
    [{ draft: { file: 'judgment-debtors.json', content: '{}' } }, 'WHAT_IF.BAD_PERIOD'],
  ])('refuses %#: %s', (body, code) => {
    expect(() => parseEditedFileWhatIfRequest(body)).toThrow(expect.objectContaining({ code }));
  });
});
