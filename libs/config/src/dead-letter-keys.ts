import { readFileSync } from 'node:fs';

/** The keys dead letters are sealed with: the active one seals, every one opens what it sealed. */
export interface DeadLetterKeyring {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export interface DeadLetterKeySettings {
  DEAD_LETTER_KEYS?: string;
  DEAD_LETTER_KEYS_FILE?: string;
  DEAD_LETTER_ACTIVE_KEY_ID?: string;
}

export const DEVELOPMENT_DEAD_LETTER_KEY_ID = 'development';
/**
 * Fixed, so that dead letters written by `npm start` stay readable across restarts; being in the
 * source, it protects nothing, and production refuses it under any key id.
 */
export const DEVELOPMENT_DEAD_LETTER_KEY = Buffer.from('24b49e999ccd16617fbc054a9dcc828ce842ab2b7e9ac9ead52ff9d3a043affd', 'hex');

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Which settings a keyring is read from, and the development key it falls back to. */
export interface KeyringSpec {
  /** `DEAD_LETTER` reads DEAD_LETTER_KEYS, DEAD_LETTER_KEYS_FILE and DEAD_LETTER_ACTIVE_KEY_ID. */
  prefix: string;
  developmentKeyId: string;
  developmentKey: Buffer;
}

export type KeyringResult = { keyring: DeadLetterKeyring; problems: [] } | { keyring?: undefined; problems: string[] };

/**
 * The keyring the settings describe, or the problems with them. `id:key` entries separated by commas
 * or new lines (a file may hold comments after `#`); a key is 32 bytes in hex or base64. Problems
 * name the variable and the entry, never a key.
 */
export function readKeyring(spec: KeyringSpec, settings: Readonly<Record<string, string | undefined>>, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): KeyringResult {
  const [KEYS, FILE, ACTIVE] = [`${spec.prefix}_KEYS`, `${spec.prefix}_KEYS_FILE`, `${spec.prefix}_ACTIVE_KEY_ID`];
  if (settings[KEYS] !== undefined && settings[FILE] !== undefined) return { problems: [`${KEYS} and ${FILE}: give one of them`] };
  let variable = KEYS;
  let text = settings[KEYS];
  const file = settings[FILE];
  if (file !== undefined) {
    variable = FILE;
    try {
      text = readFile(file);
    } catch (error) {
      return { problems: [`${FILE}=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`] };
    }
  }
  if (text === undefined) return activeKeyring(new Map([[spec.developmentKeyId, spec.developmentKey]]), settings[ACTIVE] ?? spec.developmentKeyId, ACTIVE);

  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const entries = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const key = decodeKey(colon < 0 ? entry : entry.slice(colon + 1).trim());
    if (!KEY_ID.test(id)) problems.push(`${variable}: entry ${index + 1} needs an id (letters, digits, . _ -, at most 32) before a colon: id:key`);
    else if (keys.has(id)) problems.push(`${variable}: key id "${id}" is given twice`);
    else if (!key) problems.push(`${variable}: key "${id}" must be ${KEY_BYTES} bytes, in hex (64 characters) or base64 (44)`);
    else keys.set(id, key);
  });
  if (entries.length === 0) problems.push(`${variable}: no key given`);
  if (problems.length > 0) return { problems };
  return activeKeyring(keys, settings[ACTIVE] ?? [...keys.keys()][0], ACTIVE);
}

const DEAD_LETTER_SPEC: KeyringSpec = { prefix: 'DEAD_LETTER', developmentKeyId: DEVELOPMENT_DEAD_LETTER_KEY_ID, developmentKey: DEVELOPMENT_DEAD_LETTER_KEY };

/** The dead-letter keyring (DEAD_LETTER_KEYS, DEAD_LETTER_KEYS_FILE, DEAD_LETTER_ACTIVE_KEY_ID). */
export function readDeadLetterKeyring(settings: DeadLetterKeySettings, readFile?: (path: string) => string): KeyringResult {
  return readKeyring(DEAD_LETTER_SPEC, settings as Record<string, string | undefined>, readFile);
}

/** Whether a keyring holds a development key (the dead-letter one by default), under whatever id: a production deployment may not. */
export function holdsDevelopmentKey(keyring: DeadLetterKeyring, developmentKey: Buffer = DEVELOPMENT_DEAD_LETTER_KEY): boolean {
  return [...keyring.keys.values()].some((key) => key.equals(developmentKey));
}

function activeKeyring(keys: Map<string, Buffer>, activeKeyId: string, variable: string): KeyringResult {
  if (!keys.has(activeKeyId)) return { problems: [`${variable}=${activeKeyId}: no key of that id is given`] };
  return { keyring: Object.freeze({ activeKeyId, keys }), problems: [] };
}

function decodeKey(text: string): Buffer | undefined {
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64_KEY.test(text)) return undefined;
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}
