import { DepartmentError, DepartmentRegistry, issueToken, isDomainError, revokeToken, tokenList } from '@app/domain';
import { readDepartmentsDocument, writeDepartmentsDocument } from './departments-file';

export interface TokenCommandIo {
  /** DEPARTMENTS_FILE: the registry the running apps reload. */
  file: string;
  /** The token alone goes here, so a script can take it: `TOKEN=$(npm run -s token -- add court)`. */
  out: (line: string) => void;
  /** Everything meant for the operator. */
  err: (line: string) => void;
  now?: () => Date;
}

export const TOKEN_COMMAND_USAGE = [
  'usage: npm run token -- add <department> [--label <label>] [--not-after <ISO date-time>]',
  '       npm run token -- revoke <department> <label>',
  '       npm run token -- list [<department>]',
].join('\n');

/**
 * `npm run token`: issue a department's bearer token (printed once, only its SHA-256 written to
 * DEPARTMENTS_FILE), revoke one by label, or list them. Exit code 0 done, 1 refused, 2 usage.
 */
export function runTokenCommand(args: readonly string[], io: TokenCommandIo): number {
  const [command, ...rest] = args;
  const { positional, flags } = parseArguments(rest);
  try {
    if (command === 'add' && positional.length === 1 && [...flags.keys()].every((f) => f === 'label' || f === 'not-after')) return add(positional[0], flags, io);
    if (command === 'revoke' && positional.length === 2 && flags.size === 0) return revoke(positional[0], positional[1], io);
    if (command === 'list' && positional.length <= 1 && flags.size === 0) return list(positional[0], io);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    io.err(`token ${command} refused: ${error.message}`);
    return 1;
  }
  io.err(TOKEN_COMMAND_USAGE);
  return 2;
}

function add(code: string, flags: ReadonlyMap<string, string>, io: TokenCommandIo): number {
  const notAfterText = flags.get('not-after');
  const notAfter = notAfterText === undefined ? undefined : new Date(notAfterText);
  if (notAfter && Number.isNaN(notAfter.getTime())) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `--not-after "${notAfterText}" is not an ISO 8601 date-time`);
  const issued = issueToken(readDepartmentsDocument(io.file), code, { label: flags.get('label'), notAfter, now: (io.now ?? (() => new Date()))() });
  writeDepartmentsDocument(io.file, issued.document);
  io.out(issued.token);
  io.err(
    [
      `${code}: token "${issued.entry.label}" added to ${io.file}${issued.entry.notAfter ? `, accepted until ${issued.entry.notAfter}` : ''}; only its SHA-256 is stored.`,
      'The token is printed above and nowhere else: hand it to the department now.',
      'Running apps accept it from their next look at the file (DEPARTMENTS_RELOAD_INTERVAL_MS); the department\'s other tokens keep working until revoked.',
    ].join('\n'),
  );
  return 0;
}

function revoke(code: string, label: string, io: TokenCommandIo): number {
  const { document, remaining } = revokeToken(readDepartmentsDocument(io.file), code, label);
  writeDepartmentsDocument(io.file, document);
  io.err(`${code}: token "${label}" removed from ${io.file}; running apps refuse it from their next look at the file.`);
  io.err(remaining.length > 0 ? `${code} still holds: ${remaining.map((t) => t.label).join(', ')}` : `${code} now holds no token: it cannot call the HTTP APIs until one is added.`);
  return 0;
}

function list(code: string | undefined, io: TokenCommandIo): number {
  const document = readDepartmentsDocument(io.file);
  const registry = new DepartmentRegistry(document.departments);
  const departments = code === undefined ? document.departments : [document.departments.find((d) => d.code === code) ?? registry.get(code)];
  for (const department of departments) {
    for (const token of tokenList(department)) {
      io.out([department.code, token.label, token.issuedAt ?? '-', token.notAfter ?? '-', `sha256:${token.sha256.slice(0, 12)}…`].join('\t'));
    }
  }
  return 0;
}

function parseArguments(args: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!flag) positional.push(args[i]);
    else flags.set(flag[1], flag[2] ?? args[++i] ?? '');
  }
  return { positional, flags };
}
