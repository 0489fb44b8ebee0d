import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Instrument } from './instrument-catalogue';
import { buildRuleSet, listRuleFiles, listRuleSourceFiles, loadRuleSet, RuleFile, toJsonPath } from './rule-set-loader';
import { RuleSetError } from './rule-set.errors';

const rulesDir = resolve(__dirname, '../../../../rules');
const schemas = {
  memorandum: JSON.parse(readFileSync(join(rulesDir, 'memorandum.schema.json'), 'utf8')) as object,
  instruments: JSON.parse(readFileSync(join(rulesDir, 'instruments.schema.json'), 'utf8')) as object,
};
const TODAY = '2026-12-01';

const procurementLaw: Instrument = {
  id: 'procurement-law',
  title: { zh: '《中华人民共和国政府采购法》' },
  issuingBody: '全国人民代表大会常务委员会',
  level: 'law',
  inForceFrom: '2014-08-31',
  version: '2014年修正',
};
const localNotice: Instrument = { id: 'local-notice', title: { zh: '《某区信用惩戒实施办法》' }, documentNumber: '某府发〔2020〕1号', issuingBody: '某区人民政府', level: 'local-normative-document', inForceFrom: '2020-01-01', version: '2020年印发' };

function catalogueFile(instruments: Instrument[] = [procurementLaw, localNotice]): RuleFile {
  return { file: '/rules/instruments.json', content: JSON.stringify({ $schema: './instruments.schema.json', instruments }) };
}

function build(files: RuleFile[], instruments: RuleFile = catalogueFile()) {
  return buildRuleSet({ memoranda: files, instruments, schemas }, { today: TODAY });
}

const valid = {
  $schema: './memorandum.schema.json',
  id: 'sample',
  title: { zh: '样例', en: 'Sample' },
  documentNumber: 'X〔2020〕1号',
  kind: 'sanction',
  version: '1',
  validity: { from: '2020-01-01' },
  list: { code: 'sample-list', type: 'black', name: { zh: '样例名单', en: 'Sample list' }, identifyingDepartment: 'court', defaultTermDays: 365, maxTermDays: 730 },
  repair: { allowed: false },
  measures: [
    {
      code: 'S-01',
      text: { zh: '限制政府采购', en: 'Restrict procurement' },
      category: 'restrict',
      implementingDepartment: 'finance',
      legalBasis: [{ instrument: 'procurement-law', article: '第二十二条' }],
      targets: ['subject'],
      severityRequired: 'serious',
    },
  ],
  rules: [{ name: 'listed', description: 'listed', conditions: { all: [{ fact: 'severity', operator: 'equal', value: 'serious' }] }, measures: ['S-01'] }],
};

function refusal(files: RuleFile[], instruments?: RuleFile): RuleSetError {
  try {
    build(files, instruments);
  } catch (error) {
    if (error instanceof RuleSetError) return error;
    throw error;
  }
  throw new Error('expected the rule set to be refused');
}

describe('rule set loading', () => {
  it('builds a rule set with a content-hash revision that changes with the content', () => {
    const a = build([{ file: 'sample.json', content: JSON.stringify(valid) }]);
    const b = build([{ file: 'sample.json', content: JSON.stringify({ ...valid, version: '2' }) }]);
    expect(a.memoranda).toHaveLength(1);
    expect(a.revision).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(a.revision).not.toEqual(b.revision);
  });

  it('covers the catalogue in the revision: an edited instrument is a new rule set', () => {
    const a = build([{ file: 'sample.json', content: JSON.stringify(valid) }]);
    const b = build([{ file: 'sample.json', content: JSON.stringify(valid) }], catalogueFile([{ ...procurementLaw, version: '2014年修正（校对）' }, localNotice]));
    expect(a.revision).not.toEqual(b.revision);
  });

  it('resolves every citation to its catalogued instrument', () => {
    const ruleSet = build([{ file: 'sample.json', content: JSON.stringify(valid) }]);
    expect(ruleSet.memoranda[0].measures[0].legalBasis).toEqual([{ instrument: procurementLaw, article: '第二十二条' }]);
    expect(ruleSet.instruments.get('local-notice')).toEqual(localNotice);
    expect(ruleSet.warnings).toEqual([]);
  });

  it('reports a missing legal basis with file, JSON path and reason', () => {
    const broken = structuredClone(valid) as Record<string, any>;
    delete broken.measures[0].legalBasis;
    const error = refusal([{ file: '/rules/sample.json', content: JSON.stringify(broken) }]);
    expect(error.problems).toEqual([{ severity: 'error', file: 'sample.json', path: '$.measures[0]', code: 'RULES.MISSING_PROPERTY', message: expect.stringMatching(/legalBasis/) }]);
  });

  it('reports invalid JSON with the parser position', () => {
    const error = refusal([{ file: 'sample.json', content: '{ "id": ' }]);
    expect(error.code).toBe('RULES.INVALID_FILE');
    expect(error.problems[0]).toMatchObject({ file: 'sample.json', path: '$', message: expect.stringMatching(/not valid JSON/) });
  });

  it('reports an unknown fact in a condition at its path', () => {
    const broken = structuredClone(valid) as Record<string, any>;
    broken.rules[0].conditions.all.push({ fact: 'shoeSize', operator: 'equal', value: 42 });
    const error = refusal([{ file: 'sample.json', content: JSON.stringify(broken) }]);
    expect(error.problems.map((p) => p.path)).toContain('$.rules[0].conditions.all[1].fact');
  });

  it('refuses a file whose id is not its file name', () => {
    const error = refusal([{ file: 'other.json', content: JSON.stringify(valid) }]);
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.id' })]);
  });

  it('refuses two memoranda targeting one list', () => {
    const twin = { ...valid, id: 'twin', measures: [{ ...valid.measures[0], code: 'T-01' }], rules: [{ ...valid.rules[0], measures: ['T-01'] }] };
    const error = refusal([
      { file: 'sample.json', content: JSON.stringify(valid) },
      { file: 'twin.json', content: JSON.stringify(twin) },
    ]);
    expect(error.code).toBe('RULES.INVALID_FILE');
    expect(error.problems[0]).toMatchObject({ file: 'twin.json', path: '$.list.code' });
  });

  it('loads a directory and ignores case files; the catalogue and schemas are sources but no memoranda', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'memorandum.schema.json'), JSON.stringify(schemas.memorandum));
    writeFileSync(join(dir, 'instruments.schema.json'), JSON.stringify(schemas.instruments));
    writeFileSync(join(dir, 'instruments.json'), catalogueFile().content);
    writeFileSync(join(dir, 'sample.json'), JSON.stringify(valid));
    writeFileSync(join(dir, 'sample.cases.json'), '{"memorandum":"sample","cases":[]}');
    expect(loadRuleSet(dir).memoranda.map((m) => m.id)).toEqual(['sample']);
    expect(listRuleFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['sample.json']);
    expect(listRuleSourceFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['sample.json', 'instruments.json', 'instruments.schema.json', 'memorandum.schema.json']);
  });

  it('refuses a directory without an instrument catalogue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'memorandum.schema.json'), JSON.stringify(schemas.memorandum));
    writeFileSync(join(dir, 'sample.json'), JSON.stringify(valid));
    expect(() => loadRuleSet(dir)).toThrow(/instruments\.json:\$  RULES\.MISSING_FILE  the instrument catalogue is missing/);
  });

  it('writes JSON paths the way editors show them', () => {
    expect(toJsonPath('')).toBe('$');
    expect(toJsonPath('/measures/2/legalBasis')).toBe('$.measures[2].legalBasis');
    expect(toJsonPath('/a~1b')).toBe('$["a/b"]');
  });
});

describe('citations against the instrument catalogue', () => {
  const withBasis = (legalBasis: { instrument: string; article: string }[], kind: 'sanction' | 'incentive' = 'sanction') => {
    const memorandum = structuredClone(valid) as Record<string, any>;
    memorandum.kind = kind;
    memorandum.measures[0].legalBasis = legalBasis;
    return [{ file: 'sample.json', content: JSON.stringify(memorandum) }];
  };

  it('refuses an uncatalogued instrument with file, JSON path and reason', () => {
    const error = refusal(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }, { instrument: 'unpublished-notice', article: '第三条' }]));
    expect(error.code).toBe('RULES.ILLEGAL_MEASURE');
    expect(error.problems).toEqual([
      { severity: 'error', file: 'sample.json', path: '$.measures[0].legalBasis[1].instrument', code: 'RULES.UNKNOWN_INSTRUMENT', value: 'unpublished-notice', suggestion: undefined, message: expect.stringMatching(/"unpublished-notice", which is not in the published catalogue/) },
    ]);
  });

  it('refuses an instrument repealed on or before today, naming its successor', () => {
    const successor: Instrument = { ...procurementLaw, id: 'procurement-law-2027', version: '2026年修订', inForceFrom: TODAY };
    for (const repealedOn of ['2026-11-30', TODAY]) {
      const error = refusal(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]), catalogueFile([{ ...procurementLaw, repealedOn, supersededBy: successor.id }, successor]));
      expect(error.problems).toEqual([
        { severity: 'error', file: 'sample.json', path: '$.measures[0].legalBasis[0].instrument', code: 'RULES.ILLEGAL_MEASURE', message: `measure S-01 cites "procurement-law" (《中华人民共和国政府采购法》), repealed on ${repealedOn}: a repealed instrument is no basis; cite its successor "procurement-law-2027"` },
      ]);
    }
  });

  it('refuses a sanction resting only on local normative documents, but not an incentive', () => {
    const error = refusal(withBasis([{ instrument: 'local-notice', article: '第五条' }]));
    expect(error.problems).toEqual([{ severity: 'error', file: 'sample.json', path: '$.measures[0].legalBasis', code: 'RULES.ILLEGAL_MEASURE', message: expect.stringMatching(/^sanction measure S-01 rests only on local normative documents; a sanction needs a law/) }]);
    expect(build(withBasis([{ instrument: 'local-notice', article: '第五条' }, { instrument: 'procurement-law', article: '第二十二条' }])).memoranda).toHaveLength(1);
    expect(build(withBasis([{ instrument: 'local-notice', article: '第五条' }], 'incentive')).memoranda).toHaveLength(1);
  });

  it('warns, without refusing, of a cited instrument repealed within 90 days', () => {
    const soon = catalogueFile([{ ...procurementLaw, repealedOn: '2027-03-01' }, localNotice]);
    expect(build(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]), soon).warnings).toEqual([
      { severity: 'warning', file: 'sample.json', path: '$.measures[0].legalBasis[0].instrument', code: 'RULES.CITATION_WARNING', message: 'measure S-01 cites "procurement-law" (《中华人民共和国政府采购法》), repealed on 2027-03-01 (in 90 days): measure S-01 stops firing that day' },
    ]);
    const withOther = build(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }, { instrument: 'procurement-law-2027', article: '第二十条' }]), catalogueFile([{ ...procurementLaw, repealedOn: '2027-03-01' }, { ...procurementLaw, id: 'procurement-law-2027', inForceFrom: '2027-03-01' }]));
    expect(withOther.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/repealed on 2027-03-01 \(in 90 days\): from that day decisions leave it out of their basis$/),
      expect.stringMatching(/"procurement-law-2027" .* not in force until 2027-03-01/),
    ]);
    const later = catalogueFile([{ ...procurementLaw, repealedOn: '2027-03-02' }, localNotice]);
    expect(build(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]), later).warnings).toEqual([]);
  });

  it('refuses a broken catalogue like a broken rule file', () => {
    expect(refusal(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]), { file: 'instruments.json', content: '{ "instruments": [' }).problems).toEqual([
      { severity: 'error', file: 'instruments.json', path: '$', code: 'RULES.INVALID_JSON', message: expect.stringMatching(/not valid JSON/) },
    ]);
    const { title: _title, ...untitled } = procurementLaw;
    const error = refusal(withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]), catalogueFile([untitled as Instrument, { ...localNotice, level: 'guidance' as Instrument['level'] }]));
    expect(error.code).toBe('RULES.INVALID_FILE');
    expect(error.problems).toEqual([
      { severity: 'error', file: 'instruments.json', path: '$.instruments[0]', code: 'RULES.MISSING_PROPERTY', message: 'missing required property "title"' },
      { severity: 'error', file: 'instruments.json', path: '$.instruments[1].level', code: 'RULES.INVALID_VALUE', value: expect.anything(), suggestion: undefined, message: expect.stringMatching(/ is not one of "law"/) },
    ]);
  });

  it('refuses duplicate ids, unknown successors and a repeal before entry into force', () => {
    const error = refusal(
      withBasis([{ instrument: 'procurement-law', article: '第二十二条' }]),
      catalogueFile([procurementLaw, { ...localNotice, id: 'procurement-law' }, { ...localNotice, repealedOn: '2019-12-31', supersededBy: 'nowhere' }]),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      '$.instruments[1].id: instrument id "procurement-law" is used twice',
      '$.instruments[2].supersededBy: instrument "local-notice" is superseded by "nowhere", which is no other instrument of the catalogue',
      '$.instruments[2].repealedOn: instrument "local-notice" is repealed on 2019-12-31, not after it came into force on 2020-01-01',
    ]);
  });
});
