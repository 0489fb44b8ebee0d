import { DEVELOPMENT_DEAD_LETTER_KEY, DEVELOPMENT_DEAD_LETTER_KEY_ID, holdsDevelopmentKey, readDeadLetterKeyring, readKeyring } from './dead-letter-keys';

const HEX = 'a1'.repeat(32);
const BASE64 = Buffer.alloc(32, 7).toString('base64');

describe('readDeadLetterKeyring', () => {
  it('uses the fixed development key when none is given', () => {
    const { keyring } = readDeadLetterKeyring({});
    expect(keyring?.activeKeyId).toBe(DEVELOPMENT_DEAD_LETTER_KEY_ID);
    expect(keyring && holdsDevelopmentKey(keyring)).toBe(true);
  });

  it('reads id:key entries in hex and base64; the first is active unless another is named', () => {
    const { keyring } = readDeadLetterKeyring({ DEAD_LETTER_KEYS: `2026a:${HEX}, 2025b:${BASE64}` });
    expect(keyring?.activeKeyId).toBe('2026a');
    expect(keyring?.keys.get('2026a')).toEqual(Buffer.from(HEX, 'hex'));
    expect(keyring?.keys.get('2025b')).toEqual(Buffer.alloc(32, 7));
    expect(keyring && holdsDevelopmentKey(keyring)).toBe(false);
    expect(readDeadLetterKeyring({ DEAD_LETTER_KEYS: `2026a:${HEX},2025b:${BASE64}`, DEAD_LETTER_ACTIVE_KEY_ID: '2025b' }).keyring?.activeKeyId).toBe('2025b');
  });

  it('reads a key file with one entry a line and comments', () => {
    const files: Record<string, string> = { '/run/secrets/dl': `# rotated 2026-12\nnew:${HEX}\nold:${BASE64}  # until 2027-03\n` };
    const { keyring } = readDeadLetterKeyring({ DEAD_LETTER_KEYS_FILE: '/run/secrets/dl' }, (path) => files[path]);
    expect([...(keyring?.keys.keys() ?? [])]).toEqual(['new', 'old']);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a short key', { DEAD_LETTER_KEYS: `k:${'a1'.repeat(16)}` }, /DEAD_LETTER_KEYS: key "k" must be 32 bytes/],
    ['a key that is neither hex nor base64', { DEAD_LETTER_KEYS: `k:${'z'.repeat(64)}` }, /key "k" must be 32 bytes/],
    ['base64 of the wrong length', { DEAD_LETTER_KEYS: `k:${Buffer.alloc(31).toString('base64')}` }, /key "k" must be 32 bytes/],
    ['no id', { DEAD_LETTER_KEYS: HEX }, /entry 1 needs an id/],
    ['an id given twice', { DEAD_LETTER_KEYS: `k:${HEX},k:${BASE64}` }, /key id "k" is given twice/],
    ['an active id not listed', { DEAD_LETTER_KEYS: `k:${HEX}`, DEAD_LETTER_ACTIVE_KEY_ID: 'x' }, /DEAD_LETTER_ACTIVE_KEY_ID=x: no key of that id/],
    ['nothing but commas', { DEAD_LETTER_KEYS: ',,' }, /DEAD_LETTER_KEYS: no key given/],
    ['both the list and a file', { DEAD_LETTER_KEYS: `k:${HEX}`, DEAD_LETTER_KEYS_FILE: '/x' }, /give one of them/],
    ['a file that cannot be read', { DEAD_LETTER_KEYS_FILE: '/nonexistent/dead-letter-keys' }, /DEAD_LETTER_KEYS_FILE=\/nonexistent\/dead-letter-keys: cannot be read \(ENOENT\)/],
  ])('refuses %s, naming the variable and never the key', (_case, settings, problem) => {
    const { keyring, problems } = readDeadLetterKeyring(settings);
    expect(keyring).toBeUndefined();
    expect(problems.join('\n')).toMatch(problem);
    expect(problems.join('\n')).not.toMatch(/a1a1a1|zzzz|BwcH|AAAA/);
  });

  it('finds the development key under any id', () => {
    const { keyring } = readDeadLetterKeyring({ DEAD_LETTER_KEYS: `mine:${HEX},renamed:${DEVELOPMENT_DEAD_LETTER_KEY.toString('hex')}` });
    expect(keyring && holdsDevelopmentKey(keyring)).toBe(true);
  });
});

describe('readKeyring: the same rules for another secret under its own names', () => {
  const spec = { prefix: 'WHISTLEBLOWER', developmentKeyId: 'development', developmentKey: Buffer.alloc(32, 9) };

  it('reads <prefix>_KEYS and <prefix>_ACTIVE_KEY_ID, falls back to its own development key, and names its own variables', () => {
    expect(readKeyring(spec, { WHISTLEBLOWER_KEYS: `a:${HEX},b:${BASE64}`, WHISTLEBLOWER_ACTIVE_KEY_ID: 'b' }).keyring?.activeKeyId).toBe('b');
    const fallback = readKeyring(spec, { DEAD_LETTER_KEYS: `a:${HEX}` }).keyring!;
    expect(holdsDevelopmentKey(fallback, spec.developmentKey)).toBe(true);
    expect(holdsDevelopmentKey(fallback)).toBe(false);
    expect(readKeyring(spec, { WHISTLEBLOWER_KEYS: `a:${HEX}`, WHISTLEBLOWER_ACTIVE_KEY_ID: 'x' }).problems).toEqual(['WHISTLEBLOWER_ACTIVE_KEY_ID=x: no key of that id is given']);
    expect(readKeyring(spec, { WHISTLEBLOWER_KEYS: 'k:short' }).problems).toEqual([expect.stringMatching(/^WHISTLEBLOWER_KEYS: key "k" must be 32 bytes/)]);
  });
});
