import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The README's table of settings, generated from AppConfig's source (libs/config/src/app-config.ts):
 * each property's name, default, allowed values (from its validators) and its doc comment, so the
 * comments stay the one place a setting is explained. `npm run docs:settings` rewrites the table;
 * settings-table.spec.ts fails when the README and the code disagree.
 */

// apps/rules-cli/src from the sources (specs), dist/apps/rules-cli/src once built.
const ROOT = [resolve(__dirname, '../../..'), resolve(__dirname, '../../../..')].find((dir) => existsSync(join(dir, 'libs/config/src/app-config.ts'))) ?? process.cwd();
export const APP_CONFIG_SOURCE = join(ROOT, 'libs/config/src/app-config.ts');
export const README = join(ROOT, 'README.md');
export const BEGIN = '<!-- settings:begin — generated from libs/config/src/app-config.ts by `npm run docs:settings`; a test fails if it drifts -->';
export const END = '<!-- settings:end -->';

export interface SettingRow {
  name: string;
  default: string;
  values: string;
  description: string;
}

export function settingRows(source: string = readFileSync(APP_CONFIG_SOURCE, 'utf8')): SettingRow[] {
  const file = ts.createSourceFile('app-config.ts', source, ts.ScriptTarget.Latest, true);
  const config = file.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'AppConfig');
  if (!config) throw new Error('class AppConfig not found in app-config.ts');
  return config.members.filter(ts.isPropertyDeclaration).map((property) => {
    const decorators = (ts.getDecorators(property) ?? []).map((d) => d.expression).filter(ts.isCallExpression);
    const call = (name: string) => decorators.find((d) => ts.isIdentifier(d.expression) && d.expression.text === name);
    const argument = (name: string) => call(name)?.arguments[0]?.getText(file);
    const values: string[] = [];
    const isIn = argument('IsIn');
    if (isIn) values.push(isIn.replace(/^\[|\]$/g, '').replace(/\.\.\./g, '').split(',').map((v) => `\`${v.trim().replace(/^'|'$/g, '')}\``).join(', '));
    if (call('IsBoolean')) values.push('`true`, `false`');
    if (call('IsInt')) values.push(`integer${argument('Min') !== undefined ? ` ≥ ${argument('Min')}` : ''}${argument('Max') !== undefined ? `, ≤ ${argument('Max')}` : ''}`);
    if (call('Matches')) values.push(`matches \`${argument('Matches')!.replace(/\|/g, '\\|')}\``);
    const comment = ts
      .getJSDocCommentsAndTags(property)
      .map((doc) => (typeof doc.comment === 'string' ? doc.comment : (doc.comment ?? []).map((part) => part.text).join('')))
      .join(' ');
    return {
      name: property.name.getText(file),
      default: property.initializer ? `\`${property.initializer.getText(file)}\`` : '—',
      values: values.join('; ') || 'text',
      description: comment.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim(),
    };
  });
}

export function settingsTable(rows: readonly SettingRow[] = settingRows()): string {
  return ['| Variable | Default | Values | What it does |', '|---|---|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${r.default} | ${r.values} | ${r.description} |`)].join('\n');
}

/** The README with its settings section replaced by the generated table. */
export function withSettingsTable(readme: string, table: string = settingsTable()): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no settings section (${BEGIN} … ${END})`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

export function writeSettingsTable(file: string = README): void {
  writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8')));
}
