import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions, RuleReleaseRepository } from '@app/persistence';
import { parseVersion, ReleaseService, ReleaseView, writeRuleContent } from '@app/policy';
import { formatProblem, readRuleContent, ReleaseError, RuleProblem } from '@app/rules';
import type { CheckOutput } from './rules-check';

export const RELEASE_USAGE = [
  'rules-cli export <dir> [--version N]                      write a release (default: the one in force) to <dir> in the layout of rules/',
  'rules-cli import <dir> --author <name> [--notes <text>]    a draft release from the rule files in <dir>',
  'rules-cli release list',
  'rules-cli release approve <version> --approver <name> --effective <ISO date-time>',
  'rules-cli release diff <from> <to>',
  'rules-cli release rollback <version> --actor <name> [--notes <text>] [--effective <ISO date-time>]',
].join('\n');

/** `--name value` options and the positional arguments of a command line. */
export function parseArguments(args: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ReleaseError('RELEASE.INVALID_REQUEST', `${arg} needs a value`);
      options[arg.slice(2)] = value;
      i++;
    } else positional.push(arg);
  }
  return { positional, options };
}

/**
 * `npm run rules:export`, `rules:import` and `rules:release`: the release service of libs/policy on
 * DATABASE_URL (its schema migrated: the apps or `npm run db:migrate` do it). Returns the exit code.
 */
export async function runReleaseCommand(config: AppConfig, command: string, args: readonly string[], out: CheckOutput = console): Promise<number> {
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 2 } })).initialize();
  try {
    const releases = new RuleReleaseRepository(dataSource);
    const service = new ReleaseService(config, releases);
    const { positional, options } = parseArguments(args);
    switch (command) {
      case 'export': {
        const [dir] = positional;
        if (!dir) return usage(out);
        const version = options.version ?? (await service.list()).find((r) => r.status === 'in-force')?.version ?? (await service.list())[0]?.version;
        if (version === undefined) throw new ReleaseError('RELEASE.NOT_FOUND', 'there is no release yet: import one (npm run rules:import)');
        const release = await service.get(version);
        const { written, removed } = writeRuleContent(dir, release.content);
        out.log(`release ${release.version} (${release.revision}, ${release.status}) written to ${dir}: ${written.length} files${removed.length ? `, removed ${removed.join(', ')}` : ''}`);
        return 0;
      }
      case 'import': {
        const [dir] = positional;
        if (!dir || !options.author) return usage(out);
        // Through the request's checks (names, sizes, NUL), as a draft sent over HTTP is.
        const release = await service.createDraft({ content: readRuleContent(dir), author: options.author, notes: options.notes ?? '' });
        out.log(`draft release ${release.version} (${release.revision}) created from ${dir}: ${release.memoranda.length} memoranda; approve it with rules:release -- approve ${release.version} --approver <name> --effective <time>`);
        return 0;
      }
      case 'release':
        return await releaseSubcommand(service, positional, options, out);
      default:
        return usage(out);
    }
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    out.error(`✗ ${error.code}: ${error.message}`);
    for (const problem of (error.context.problems as RuleProblem[] | undefined) ?? []) out.error(`  ${formatProblem(problem)}`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

async function releaseSubcommand(service: ReleaseService, [sub, ...rest]: string[], options: Record<string, string>, out: CheckOutput): Promise<number> {
  switch (sub) {
    case 'list':
      for (const r of await service.list()) {
        out.log(`${String(r.version).padStart(4)}  ${r.status.padEnd(10)}  ${r.revision}  ${r.effectiveAt ?? '-'.padEnd(24)}  by ${r.author}${r.approver ? `, approved by ${r.approver}` : ''}${r.rolledBackFrom ? `  (rollback to ${r.rolledBackFrom})` : ''}  ${r.notes}`);
      }
      return 0;
    case 'approve':
      return shown(out, await service.approve(rest[0], { approver: options.approver, effectiveAt: options.effective }), 'approved');
    case 'rollback':
      return shown(out, await service.rollback(rest[0], { actor: options.actor, notes: options.notes, effectiveAt: options.effective }), 'created (rollback)');
    case 'diff': {
      parseVersion(rest[1]);
      out.log(JSON.stringify(await service.diff(rest[0], rest[1]), null, 2));
      return 0;
    }
    default:
      return usage(out);
  }
}

function shown(out: CheckOutput, release: ReleaseView, what: string): number {
  out.log(`release ${release.version} (${release.revision}) ${what}: in force from ${release.effectiveAt}`);
  return 0;
}

function usage(out: CheckOutput): number {
  out.error(`usage:\n${RELEASE_USAGE}`);
  return 2;
}
