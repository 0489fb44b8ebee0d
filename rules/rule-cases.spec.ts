import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Department } from '@app/domain';
import { JsonRulesEngineEvaluator, loadRuleCaseFiles, loadRuleSet, runRuleCase } from '@app/rules';

// The shipped memoranda and their data-driven cases (rules/<id>.cases.json), as policy staff read them.
const rulesDir = __dirname;
const { departments } = JSON.parse(readFileSync(join(rulesDir, '../config/departments.json'), 'utf8')) as { departments: Department[] };
const ruleSet = loadRuleSet(rulesDir, { knownDepartments: new Set(departments.map((d) => d.code)) });
const evaluator = new JsonRulesEngineEvaluator(ruleSet);
const caseFiles = loadRuleCaseFiles(rulesDir);

describe('shipped memoranda', () => {
  it('every memorandum has a cases file with at least four cases', () => {
    for (const memorandum of ruleSet.memoranda) {
      const file = caseFiles.find((f) => f.memorandum === memorandum.id);
      expect(file?.cases.length ?? 0).toBeGreaterThanOrEqual(4);
    }
  });

  it('encodes at least the eight memoranda of DOMAIN §2', () => {
    expect(ruleSet.memoranda.map((m) => m.id)).toEqual(
      expect.arrayContaining(['judgment-debtors', 'major-tax-violators', 'serious-illegal-dishonest', 'abnormal-operation', 'wage-arrears', 'environmental-dishonesty', 'a-grade-taxpayers', 'honesty-models']),
    );
  });
});

for (const file of caseFiles) {
  describe(file.file, () => {
    it.each(file.cases.map((c) => [c.note, c] as const))('%s', async (_note, ruleCase) => {
      const outcome = await runRuleCase(file, ruleCase, ruleSet, evaluator);
      expect({ error: outcome.error, missing: outcome.missing, unexpected: outcome.unexpected }).toEqual({ error: undefined, missing: [], unexpected: [] });
    });
  });
}
