import { join } from 'node:path';
import { JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet, RuleCase, runRuleCase } from '@app/rules';
import { caseView } from './memorandum-view.service';

const RULES_DIR = join(__dirname, '../../../rules');
const ruleSet = loadRuleSet(RULES_DIR);
const evaluator = new JsonRulesEngineEvaluator(ruleSet);
const file = loadRuleCaseFiles(RULES_DIR).find((f) => f.memorandum === 'judgment-debtors')!;
// The enterprise case: the company (a USCC) and three related persons (resident IDs) in the event.
const enterprise = file.cases.find((c) => c.expect.measures.some((m) => m.targetId === '510802197804150310'))!;

describe('rule case results on the memorandum page', () => {
  it("masks each entry's identifier by its type before formatting it, a resident ID typed by hand into the case too", async () => {
    const legalRepresentative = '510802197804150310';
    // Typed with a lower-case check character, as a person may write one: the event does not name it, so it is masked as a resident's.
    const typedByHand = '11010519491231002x';
    const edited: RuleCase = {
      ...enterprise,
      expect: {
        listEntries: [...enterprise.expect.listEntries, { list: 'no-such-list', subjectId: '91510802MA6B3N4TXM' }],
        measures: [...enterprise.expect.measures.filter((m) => !(m.code === 'JD-02' && m.targetId === legalRepresentative)), { code: 'JD-02', targetId: typedByHand }],
      },
    };
    const view = caseView(await runRuleCase(file, edited, ruleSet, evaluator), ['JD-02']);

    expect(view).toMatchObject({ passed: false, measures: ['JD-02'] });
    // The company's USCC is public and shown as is; a resident ID keeps its division and last four.
    expect(view.missing).toEqual(['list no-such-list ← 91510802MA6B3N4TXM', 'measure JD-02 → 110105********002x']);
    expect(view.unexpected).toEqual(['measure JD-02 → 510802********0310']);
    const page = JSON.stringify(view);
    for (const birthDate of ['19780415', '19491231']) expect(page).not.toContain(birthDate);
  });

  it('keeps a passing case passing, with nothing to show', async () => {
    expect(caseView(await runRuleCase(file, enterprise, ruleSet, evaluator), [])).toEqual({ note: enterprise.note, passed: true, measures: [], missing: [], unexpected: [] });
  });

  it("masks identifiers and digit runs in an error's free text, wherever they stand", () => {
    const view = caseView({ file: file.file, note: 'n', passed: false, missingEntries: [], unexpectedEntries: [], missing: [], unexpected: [], error: 'ID510802197804150310 (born 19780415), old-style 510802780415031, check 11010519491231002x' }, []);
    expect(view.error).toBe('ID510802********0310 (born ********), old-style ***************, check 110105********002x');
  });
});
