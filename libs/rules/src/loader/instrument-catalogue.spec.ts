import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chinaDate, CreditEvent, parseCreditEvent } from '@app/domain';
import { decideCreditEvent } from '../planning/credit-event-evaluation';
import { basisInForceOn, Instrument, InstrumentCatalogueFile, isInForceOn } from './instrument-catalogue';
import { JsonRulesEngineEvaluator } from '../evaluation/json-rules-engine.evaluator';
import { MeasureDefinition } from './memorandum';
import { buildRuleSet, loadRuleSet, readRuleSources } from './rule-set-loader';
import { RuleSet } from './rule-set';

const root = join(__dirname, '../../../..');
const rulesDir = join(root, 'rules');
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/judgment-debtor-listed.json'), 'utf8'));
const listing = (): CreditEvent => parseCreditEvent(structuredClone(fixture));

const law: Instrument = { id: 'a-law', title: { zh: '《某法》' }, issuingBody: '全国人民代表大会常务委员会', level: 'law', inForceFrom: '2015-01-01', version: '2014年修订' };
const localDocument: Instrument = { id: 'a-local-document', title: { zh: '《某区办法》' }, documentNumber: '某府发〔2020〕1号', issuingBody: '某区人民政府', level: 'local-normative-document', inForceFrom: '2020-01-01', version: '2020年印发' };

function measureCiting(...instruments: Instrument[]): MeasureDefinition {
  return {
    code: 'T-01',
    text: { zh: '限制', en: 'Restrict' },
    category: 'restrict',
    implementingDepartment: 'finance',
    legalBasis: instruments.map((instrument, i) => ({ instrument, article: `第${i + 1}条` })),
    targets: ['subject'],
    severityRequired: 'serious',
  };
}

describe('instruments in force', () => {
  it('are in force from inForceFrom through the day before repealedOn', () => {
    const repealed = { ...law, repealedOn: '2027-01-01' };
    expect(isInForceOn(repealed, '2014-12-31')).toBe(false);
    expect(isInForceOn(repealed, '2015-01-01')).toBe(true);
    expect(isInForceOn(repealed, '2026-12-31')).toBe(true);
    expect(isInForceOn(repealed, '2027-01-01')).toBe(false);
  });

  it('leave a repealed citation out of the basis while another sufficient one remains', () => {
    const repealed = { ...law, id: 'old-law', repealedOn: '2027-01-01' };
    const measure = measureCiting(repealed, law);
    expect(basisInForceOn(measure, 'sanction', '2026-12-31').map((b) => b.instrument.id)).toEqual(['old-law', 'a-law']);
    expect(basisInForceOn(measure, 'sanction', '2027-01-01').map((b) => b.instrument.id)).toEqual(['a-law']);
  });

  it('leave a sanction no basis when only local normative documents remain in force; an incentive keeps them', () => {
    const measure = measureCiting({ ...law, repealedOn: '2027-01-01' }, localDocument);
    expect(basisInForceOn(measure, 'sanction', '2026-12-31').map((b) => b.instrument.id)).toEqual(['a-law', 'a-local-document']);
    expect(basisInForceOn(measure, 'sanction', '2027-01-01')).toEqual([]);
    expect(basisInForceOn(measure, 'incentive', '2027-01-01').map((b) => b.instrument.id)).toEqual(['a-local-document']);
  });
});

describe('measures citing a repealed instrument', () => {
  /** The shipped rules, with the SPC high-consumption provisions repealed on 2027-01-01: JD-04 rests on them alone, JD-02 also on 中办发〔2016〕64号. */
  function shippedWithRepeal(repealedOn: string): RuleSet {
    const sources = readRuleSources(rulesDir);
    const catalogue = JSON.parse(sources.instruments.content) as InstrumentCatalogueFile;
    const provisions = catalogue.instruments.find((i) => i.id === 'spc-high-consumption-restriction-provisions')!;
    provisions.repealedOn = repealedOn;
    return buildRuleSet({ ...sources, instruments: { ...sources.instruments, content: JSON.stringify(catalogue) } }, { today: '2026-12-01' });
  }

  async function planned(ruleSet: RuleSet, today: string) {
    const [decision] = await decideCreditEvent(listing(), ruleSet, new JsonRulesEngineEvaluator(ruleSet), today);
    return decision.measureTasks.filter((t) => t.targetRole === 'subject');
  }

  it('fire the day before the repeal and stop on the repeal day when no other basis remains', async () => {
    const ruleSet = shippedWithRepeal('2027-01-01');
    expect(ruleSet.warnings.map((w) => `${w.file}: ${w.path}`)).toEqual(
      expect.arrayContaining(['judgment-debtors.json: $.measures[3].legalBasis[0].instrument', 'judgment-debtors.json: $.measures[1].legalBasis[0].instrument']),
    );
    const before = await planned(ruleSet, '2026-12-31');
    const onRepeal = await planned(ruleSet, '2027-01-01');
    expect(before.map((t) => t.measureCode)).toContain('JD-04');
    expect(onRepeal.map((t) => t.measureCode)).not.toContain('JD-04');
  });

  it('keep firing on the remaining basis, and record only the instruments relied on', async () => {
    const ruleSet = shippedWithRepeal('2027-01-01');
    const basisOf = async (today: string) => (await planned(ruleSet, today)).find((t) => t.measureCode === 'JD-02')!.legalBasis.map((b) => b.instrument.id);
    expect(await basisOf('2026-12-31')).toEqual(['spc-high-consumption-restriction-provisions', 'dishonest-judgment-debtor-credit-supervision-opinions']);
    expect(await basisOf('2027-01-01')).toEqual(['dishonest-judgment-debtor-credit-supervision-opinions']);
  });

  it('are refused at load once the repeal day has come', () => {
    expect(() => shippedWithRepeal('2026-12-01')).toThrow(/judgment-debtors\.json:\$\.measures\[1\]\.legalBasis\[0\]\.instrument  RULES\.ILLEGAL_MEASURE  .*repealed on 2026-12-01/);
  });
});

describe('the shipped memoranda', () => {
  const today = chinaDate(new Date());
  const shipped = loadRuleSet(rulesDir, { today });

  it('rest every measure on catalogued instruments, each in force today and of a level that may found it', () => {
    for (const memorandum of shipped.memoranda) {
      for (const measure of memorandum.measures) {
        for (const { instrument } of measure.legalBasis) {
          expect({ measure: measure.code, instrument: shipped.instruments.get(instrument.id) }).toEqual({ measure: measure.code, instrument });
          expect({ measure: measure.code, instrument: instrument.id, inForce: isInForceOn(instrument, today) }).toEqual({ measure: measure.code, instrument: instrument.id, inForce: true });
        }
        expect({ measure: measure.code, basis: basisInForceOn(measure, memorandum.kind, today).length }).toEqual({ measure: measure.code, basis: measure.legalBasis.length });
      }
    }
  });

  it('record the instrument version relied on', async () => {
    const [decision] = await decideCreditEvent(listing(), shipped, new JsonRulesEngineEvaluator(shipped));
    expect(decision.measureTasks.find((t) => t.measureCode === 'JD-01')!.legalBasis).toContainEqual({
      instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' },
      article: '第二十二条第一款',
    });
  });
});
