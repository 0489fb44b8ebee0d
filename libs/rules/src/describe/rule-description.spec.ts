import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRule, DescriptionVocabulary, measureRange } from './rule-description';

const NAMES: DescriptionVocabulary = {
  departmentName: (code) => ({ court: { zh: '区人民法院', en: "District People's Court" }, tax: { zh: '区税务局', en: 'District Tax Bureau' } })[code],
  listName: (code) => (code === 'judgment-debtor' ? { zh: '失信被执行人名单', en: 'List of dishonest judgment debtors' } : undefined),
};

describe('rules in plain language', () => {
  it('reads the judgment-debtor rule as the court publishing a serious listing about an enterprise', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../rules/judgment-debtors.json'), 'utf8'));
    const rule = file.rules.find((r: { name: string }) => r.name === 'judgment-debtor-organisation-listed');
    const description = describeRule(rule, NAMES);
    expect(description.sentence.zh).toMatch(/^当区人民法院发布失信被执行人名单（严重；企业.*）时 → JD-01 … JD-07$/);
    expect(description.sentence.en).toMatch(/^when the District People's Court publishes a listing on the List of dishonest judgment debtors of serious severity about an enterprise.* → JD-01 … JD-07$/);
  });

  it('turns facts outside the frame into clauses, nested groups into alternatives', () => {
    const description = describeRule(
      {
        name: 'x',
        measures: ['T-01', 'T-03'],
        conditions: {
          all: [
            { fact: 'sourceDepartment', operator: 'equal', value: 'tax' },
            { fact: 'eventType', operator: 'equal', value: 'credit.rating.assigned.v1' },
            { fact: 'grade', operator: 'equal', value: 'A' },
          ],
        },
      },
      NAMES,
    );
    expect(description.sentence).toEqual({ zh: '当区税务局评定信用等级，且等级为“A”时 → T-01, T-03', en: 'when the District Tax Bureau publishes a credit rating, and grade is "A" → T-01, T-03' });
    const any = describeRule(
      { name: 'y', measures: ['A-1'], conditions: { any: [{ fact: 'sourceDepartment', operator: 'equal', value: 'court' }, { fact: 'fineAmountYuan', operator: 'greaterThan', value: 100000 }] } },
      NAMES,
    );
    expect(any.when.zh).toBe('区人民法院发布信用信息，或罚款金额（元）大于“100000”');
    expect(any.when.en).toContain(', or fine (yuan) is greater than "100000"');
  });

  it('describes unknown departments, lists and operators by their codes instead of failing', () => {
    const description = describeRule({ name: 'z', measures: [], conditions: { all: [{ fact: 'sourceDepartment', operator: 'notEqual', value: 'mystery' }, { fact: 'listCode', operator: 'equal', value: 'nowhere' }] } }, NAMES);
    expect(description.when.zh).toBe('任一部门发布nowhere，且发布部门不为mystery');
    expect(description.when.en).toBe('any department publishes a listing on the nowhere, and publishing department is not mystery');
  });

  it('shortens runs of measure codes', () => {
    expect(measureRange(['JD-01', 'JD-02', 'JD-03', 'JD-04', 'JD-07', 'JD-08', 'X-1'])).toBe('JD-01 … JD-04, JD-07, JD-08, X-1');
    expect(measureRange([])).toBe('');
  });
});
