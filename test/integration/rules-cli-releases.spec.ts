import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { RuleReleaseRepository } from '@app/persistence';
import { ReleaseService } from '@app/policy';
import { loadRuleSet } from '@app/rules';
import { runReleaseCommand } from '../../apps/rules-cli/src/release-commands';
import { openTestDatabase, ownTestDatabaseUrl } from '../support/database';

const RULES = join(__dirname, '../../rules');

/** What a command printed, line by line, to each stream. */
function output() {
  const lines = { log: [] as string[], error: [] as string[] };
  return { lines, out: { log: (line: string) => lines.log.push(line), error: (line: string) => lines.error.push(line) } };
}

describe('rules:export and rules:import (the CLI, real PostgreSQL)', () => {
  let db: DataSource;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    url = await ownTestDatabaseUrl('rules_cli');
    db = await openTestDatabase(url);
    await db.query('TRUNCATE rule_release');
    dir = mkdtempSync(join(tmpdir(), 'rules-export-'));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.destroy();
  });

  it('exports a release with its rule cases and without the schemas, and imports the exported directory back as a draft of the same revision', async () => {
    const config = { ...loadAppConfig({}), DATABASE_URL: url };
    const first = output();
    expect(await runReleaseCommand(config, 'import', [RULES, '--author', '王芳', '--notes', 'rules/ as of today'], first.out)).toBe(0);
    const [draft] = await new ReleaseService(config, new RuleReleaseRepository(db)).list();
    expect(draft).toMatchObject({ status: 'draft', author: '王芳', revision: loadRuleSet(RULES).revision });

    const exported = output();
    expect(await runReleaseCommand(config, 'export', [dir, '--version', String(draft.version)], exported.out)).toBe(0);
    // The memoranda, the catalogue and the rule cases: everything but the schemas.
    expect(readdirSync(dir).sort()).toEqual(readdirSync(RULES).filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json')).sort());
    expect(existsSync(join(dir, 'memorandum.schema.json'))).toBe(false);

    const again = output();
    expect(await runReleaseCommand(config, 'import', [dir, '--author', '李雷'], again.out)).toBe(0);
    expect(again.lines.log[0]).toMatch(new RegExp(`^draft release ${draft.version + 1} \\(${draft.revision}\\) created from `));
  });

  it("puts an import through the request's checks: an author with a NUL is refused with its code, nothing stored", async () => {
    const config = { ...loadAppConfig({}), DATABASE_URL: url };
    const before = (await new ReleaseService(config, new RuleReleaseRepository(db)).list()).length;
    const refused = output();
    expect(await runReleaseCommand(config, 'import', [RULES, '--author', 'wang\u0000fang'], refused.out)).toBe(1);
    expect(refused.lines.error[0]).toMatch(/^✗ RELEASE\.INVALID_REQUEST: /);
    expect((await new ReleaseService(config, new RuleReleaseRepository(db)).list()).length).toBe(before);
  });
});
