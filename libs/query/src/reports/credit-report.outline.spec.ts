import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RecordedLegalBasis } from '@app/rules';
import { outlineText, reportOutline } from './credit-report.outline';
import { sampleCreditReport } from './credit-report.sample';

const catalogue = JSON.parse(readFileSync(resolve(__dirname, '../../../../rules/instruments.json'), 'utf8')) as { instruments: { id: string; title: { zh: string } }[] };

describe('the legal basis as a report prints it', () => {
  it("prints the catalogue's title as it is, with its one pair of 《》", () => {
    const report = sampleCreditReport();
    const instrument = report.measures[0].legalBasis[0].instrument;
    // The sample cites the catalogue's own title, so this test sees what real decisions record.
    expect(instrument.title).toBe(catalogue.instruments.find((i) => i.id === instrument.id)?.title.zh);
    const text = outlineText(reportOutline(report));
    expect(text).toContain(`${instrument.title}第二十二条第一款`);
    expect(text).not.toMatch(/《《|》》/);
  });

  it('prints a legacy basis recorded as a bare string as it is, and brackets a title that lacks 《》', () => {
    const report = sampleCreditReport();
    const legacy = '《中华人民共和国环境保护法》第五十九条' as unknown as RecordedLegalBasis;
    const bare = { ...report.measures[0].legalBasis[0], instrument: { ...report.measures[0].legalBasis[0].instrument, title: '中华人民共和国政府采购法实施条例' }, article: '第十九条' };
    const text = outlineText(reportOutline({ ...report, penalties: [{ ...report.penalties[0], legalBasis: [legacy, bare] }] }));
    expect(text).toContain('《中华人民共和国环境保护法》第五十九条；《中华人民共和国政府采购法实施条例》第十九条');
  });
});
