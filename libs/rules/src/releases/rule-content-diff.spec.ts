import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRuleContent, RuleContent } from '../loader/rule-content';
import { diffRuleContent, isEmptyDiff } from './rule-content-diff';

const RULES = join(__dirname, '..', '..', '..', '..', 'rules');

function edited(content: RuleContent, file: string, edit: (memorandum: Record<string, any>) => void): RuleContent {
  const memorandum = JSON.parse(content.memoranda[file]) as Record<string, any>;
  edit(memorandum);
  return { ...content, memoranda: { ...content.memoranda, [file]: JSON.stringify(memorandum) } };
}

describe('diffRuleContent', () => {
  const base = readRuleContent(RULES);

  it('finds nothing between a content and itself re-indented', () => {
    const reindented: RuleContent = {
      memoranda: Object.fromEntries(Object.entries(base.memoranda).map(([f, t]) => [f, JSON.stringify(JSON.parse(t))])),
      instruments: JSON.stringify(JSON.parse(base.instruments), null, 4),
      cases: Object.fromEntries(Object.entries(base.cases ?? {}).map(([f, t]) => [f, JSON.stringify(JSON.parse(t))])),
    };
    expect(isEmptyDiff(diffRuleContent(base, reindented))).toBe(true);
  });

  it('names rule-case files rewritten, added or dropped, so an approver sees the cases change with the rules', () => {
    const cases = { ...base.cases };
    const file = 'judgment-debtors.cases.json';
    const parsed = JSON.parse(cases[file]) as { cases: { note: string }[] };
    parsed.cases[0].note += ' (revised)';
    cases[file] = JSON.stringify(parsed);
    delete cases['wage-arrears.cases.json'];
    const diff = diffRuleContent(base, { ...base, cases });
    expect(diff.cases).toEqual({ added: [], removed: ['wage-arrears.cases.json'], changed: [file] });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('names added and removed memoranda, and within a changed one its measures, rules and other fields', () => {
    const { ['wage-arrears.json']: _removed, ...rest } = base.memoranda;
    let next: RuleContent = { ...base, memoranda: { ...rest, 'new-memorandum.json': base.memoranda['wage-arrears.json'] } };
    next = edited(next, 'judgment-debtors.json', (m) => {
      m.version = '9.9.9';
      m.measures[0].text.zh = `${m.measures[0].text.zh}（修订）`;
      const removed = m.measures.pop();
      m.measures.push({ ...removed, code: 'JD-99' });
      m.rules[0].name = 'renamed-rule';
    });
    const judgment = JSON.parse(base.memoranda['judgment-debtors.json']) as { measures: { code: string }[]; rules: { name: string }[] };

    const diff = diffRuleContent(base, next);

    expect(diff.memoranda.added).toEqual(['new-memorandum.json']);
    expect(diff.memoranda.removed).toEqual(['wage-arrears.json']);
    expect(diff.memoranda.changed).toEqual([
      {
        file: 'judgment-debtors.json',
        fields: ['version'],
        measures: { added: ['JD-99'], removed: [judgment.measures[judgment.measures.length - 1].code], changed: [judgment.measures[0].code] },
        rules: { added: ['renamed-rule'], removed: [judgment.rules[0].name], changed: [] },
      },
    ]);
    expect(diff.instruments).toEqual({ added: [], removed: [], changed: [] });
  });

  it('names catalogued instruments changed by id', () => {
    const catalogue = JSON.parse(readFileSync(join(RULES, 'instruments.json'), 'utf8')) as { instruments: { id: string; title: { zh: string } }[] };
    catalogue.instruments[0].title.zh += '（2026年修订）';
    const diff = diffRuleContent(base, { ...base, instruments: JSON.stringify(catalogue) });
    expect(diff.instruments).toEqual({ added: [], removed: [], changed: [catalogue.instruments[0].id] });
    expect(diff.memoranda.changed).toEqual([]);
  });
});
