import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, loadAppConfig } from '@app/config';
import { chinaDate } from '@app/domain';
import { addDays, InstrumentCatalogueFile } from '@app/rules';
import { CatalogueService } from './catalogue.service';

const root = resolve(__dirname, '../../..');

function catalogueOnCopyOfRules(): { catalogue: CatalogueService; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  cpSync(join(root, 'rules'), dir, { recursive: true });
  const config: AppConfig = { ...loadAppConfig({}), RULES_DIR: dir, DEPARTMENTS_FILE: join(root, 'config/departments.json'), RULES_RELOAD_INTERVAL_MS: 0 };
  return { catalogue: new CatalogueService(config), dir };
}

function touch(file: string, content: string): void {
  writeFileSync(file, content);
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
}

describe('CatalogueService rule reloading', () => {
  it('switches to an edited rule set when it is valid', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const before = catalogue.rules.ruleSet.revision;
    const file = join(dir, 'honesty-models.json');
    const memorandum = JSON.parse(readFileSync(file, 'utf8'));
    memorandum.version = `${memorandum.version}-edited`;
    touch(file, JSON.stringify(memorandum, null, 2));
    expect(catalogue.reloadIfChanged()).toBe(true);
    expect(catalogue.rules.ruleSet.revision).not.toBe(before);
    expect(catalogue.rules.ruleSet.memorandum('honesty-models')?.version).toMatch(/-edited$/);
  });

  it('refuses a broken edit with file, path and message, and keeps running the last good set', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const before = catalogue.rules.ruleSet.revision;
    const file = join(dir, 'wage-arrears.json');
    const memorandum = JSON.parse(readFileSync(file, 'utf8'));
    delete memorandum.measures[1].legalBasis;
    touch(file, JSON.stringify(memorandum));
    expect(catalogue.reloadIfChanged()).toBe(false);
    expect(catalogue.rules.ruleSet.revision).toBe(before);
    expect(catalogue.lastRefusal?.problems).toEqual([expect.stringMatching(/^wage-arrears\.json:\$\.measures\[1\]  RULES\.MISSING_PROPERTY  missing required property "legalBasis"/)]);
  });

  it('refuses an edit for the reasons rules:check gives, logging the same focused line (an operator typo, a misspelled department)', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const file = join(dir, 'wage-arrears.json');
      const memorandum = JSON.parse(readFileSync(file, 'utf8'));
      memorandum.rules[0].conditions.all[0].operator = 'equl';
      memorandum.rules[0].conditions.all[1].value = 'hr-social-securty';
      touch(file, JSON.stringify(memorandum));
      expect(catalogue.reloadIfChanged()).toBe(false);
      const lines = [
        'wage-arrears.json:$.rules[0].conditions.all[0].operator  RULES.UNKNOWN_OPERATOR  unknown operator "equl"; did you mean "equal"?',
        'wage-arrears.json:$.rules[0].conditions.all[1].value  RULES.UNKNOWN_DEPARTMENT  sourceDepartment "hr-social-securty" is no department of the registry (config/departments.json); did you mean "hr-social-security"?',
      ];
      expect(catalogue.lastRefusal?.problems).toEqual(lines);
      expect(error).toHaveBeenCalledWith(expect.stringMatching(/^rule files refused, still running sha256:/));
      expect(error).toHaveBeenCalledWith(expect.stringContaining(`:\n${lines.join('\n')}`));
    } finally {
      error.mockRestore();
    }
  });

  it('refuses to start on a broken rule set', () => {
    const { dir } = catalogueOnCopyOfRules();
    writeFileSync(join(dir, 'abnormal-operation.json'), '{ not json');
    const config: AppConfig = { ...loadAppConfig({}), RULES_DIR: dir, DEPARTMENTS_FILE: join(root, 'config/departments.json') };
    expect(() => new CatalogueService(config)).toThrow(/abnormal-operation\.json:\$  RULES\.INVALID_JSON  not valid JSON/);
  });

  it('refuses a broken instrument catalogue like a broken rule file, and keeps running the last good set', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const before = catalogue.rules.ruleSet.revision;
    touch(join(dir, 'instruments.json'), '{ "instruments": [');
    expect(catalogue.reloadIfChanged()).toBe(false);
    expect(catalogue.rules.ruleSet.revision).toBe(before);
    expect(catalogue.lastRefusal?.problems).toEqual([expect.stringMatching(/^instruments\.json:\$  RULES\.INVALID_JSON  not valid JSON/)]);
  });

  it('takes up an edited catalogue and logs its warnings (a cited instrument repealed within 90 days)', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const file = join(dir, 'instruments.json');
      const instruments = JSON.parse(readFileSync(file, 'utf8')) as InstrumentCatalogueFile;
      instruments.instruments.find((i) => i.id === 'civil-servant-law')!.repealedOn = addDays(chinaDate(new Date()), 30);
      touch(file, JSON.stringify(instruments, null, 2));
      expect(catalogue.reloadIfChanged()).toBe(true);
      expect(catalogue.rules.ruleSet.warnings).toEqual([expect.objectContaining({ file: 'judgment-debtors.json', path: '$.measures[8].legalBasis[0].instrument' })]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/accepted with warnings:\njudgment-debtors\.json:\$\.measures\[8\]\.legalBasis\[0\]\.instrument  RULES\.CITATION_WARNING  measure JD-09 cites "civil-servant-law" .*\(in 30 days\)/));
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps running, with a warning, a set citing an instrument whose repeal day has come (rules:check would refuse it)', () => {
    const { catalogue, dir } = catalogueOnCopyOfRules();
    const file = join(dir, 'instruments.json');
    const instruments = JSON.parse(readFileSync(file, 'utf8')) as InstrumentCatalogueFile;
    instruments.instruments.find((i) => i.id === 'civil-servant-law')!.repealedOn = chinaDate(new Date());
    touch(file, JSON.stringify(instruments, null, 2));
    expect(catalogue.reloadIfChanged()).toBe(true);
    expect(catalogue.rules.ruleSet.warnings).toEqual([
      expect.objectContaining({ file: 'judgment-debtors.json', message: expect.stringMatching(/repealed on .*: a repealed instrument is no basis; measure JD-09 no longer fires and its tasks end/) }),
    ]);
    // A new engine boots on the same files.
    expect(() => new CatalogueService({ ...catalogue['config'], RULES_DIR: dir })).not.toThrow();
  });
});
