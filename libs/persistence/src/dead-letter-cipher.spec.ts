import { randomBytes } from 'node:crypto';
import type { DeadLetterKeyring } from '@app/config';
import { DeadLetterCipher, DeadLetterCipherError, SealContext } from './dead-letter-cipher';

const keyring = (activeKeyId: string, keys: Record<string, Buffer>): DeadLetterKeyring => ({ activeKeyId, keys: new Map(Object.entries(keys)) });
const BODY = JSON.stringify({ specversion: '1.0', id: 'e-1', source: '/departments/court', data: { relatedPersons: [{ id: '510802199003071233', name: '张三' }] } });
const CONTEXT: SealContext = { department: 'court', source: '/departments/court', eventId: 'e-1', topic: 'credit.events.v1', partition: 2, offset: '41' };

const codeOf = (open: () => unknown): string | undefined => {
  try {
    open();
    return undefined;
  } catch (error) {
    return error instanceof DeadLetterCipherError ? error.code : `not a DeadLetterCipherError: ${String(error)}`;
  }
};

describe('DeadLetterCipher (AES-256-GCM)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const cipher = new DeadLetterCipher(keyring('k1', { k1 }));

  it('opens what it sealed, under the active key id, and the sealed bytes hold nothing of the body', () => {
    const sealed = cipher.seal(BODY, CONTEXT);
    expect(sealed.keyId).toBe('k1');
    expect(cipher.open(sealed, CONTEXT)).toBe(BODY);
    expect(sealed.sealed.toString('latin1')).not.toContain('510802');
    expect(sealed.sealed.toString('utf8')).not.toContain('张三');
  });

  it('seals the same body differently each time (a fresh IV)', () => {
    expect(cipher.seal(BODY, CONTEXT).sealed.equals(cipher.seal(BODY, CONTEXT).sealed)).toBe(false);
  });

  it('keeps text that is not valid JSON, empty text and astral characters exactly', () => {
    for (const body of ['', '{"specversion": "1.0", "id": ', '𠮷野家 \u0000 tail']) expect(cipher.open(cipher.seal(body, CONTEXT), CONTEXT)).toBe(body);
  });

  it.each([
    ['the IV', 1],
    ['the tag', 1 + 12],
    ['the ciphertext', 1 + 12 + 16 + 3],
  ])('refuses a body whose %s was changed (DEAD_LETTER.UNREADABLE)', (_part, at) => {
    const sealed = cipher.seal(BODY, CONTEXT);
    const tampered = Buffer.from(sealed.sealed);
    tampered[at] ^= 0x01;
    expect(codeOf(() => cipher.open({ ...sealed, sealed: tampered }, CONTEXT))).toBe('DEAD_LETTER.UNREADABLE');
  });

  it('refuses a truncated body or an unknown format', () => {
    const sealed = cipher.seal(BODY, CONTEXT);
    expect(codeOf(() => cipher.open({ ...sealed, sealed: sealed.sealed.subarray(0, 20) }, CONTEXT))).toBe('DEAD_LETTER.UNREADABLE');
    const otherFormat = Buffer.from(sealed.sealed);
    otherFormat[0] = 2;
    expect(codeOf(() => cipher.open({ ...sealed, sealed: otherFormat }, CONTEXT))).toBe('DEAD_LETTER.UNREADABLE');
  });

  it.each<[string, Partial<SealContext>]>([
    ['another department', { department: 'tax' }],
    ['no department', { department: null }],
    ['another event id', { eventId: 'e-2' }],
    ['another offset', { offset: '42' }],
    ['another partition', { partition: 3 }],
  ])('refuses a body moved into a row of %s', (_row, change) => {
    const sealed = cipher.seal(BODY, CONTEXT);
    expect(codeOf(() => cipher.open(sealed, { ...CONTEXT, ...change }))).toBe('DEAD_LETTER.UNREADABLE');
  });

  it('refuses with the wrong key under the same id, and names a key id it does not have', () => {
    const sealed = cipher.seal(BODY, CONTEXT);
    expect(codeOf(() => new DeadLetterCipher(keyring('k1', { k1: k2 })).open(sealed, CONTEXT))).toBe('DEAD_LETTER.UNREADABLE');
    expect(codeOf(() => new DeadLetterCipher(keyring('k2', { k2 })).open(sealed, CONTEXT))).toBe('DEAD_LETTER.KEY_UNAVAILABLE');
    // A body relabelled with another key id is refused, not opened with that key.
    expect(codeOf(() => new DeadLetterCipher(keyring('k1', { k1, k2: k1 })).open({ ...sealed, keyId: 'k2' }, CONTEXT))).toBe('DEAD_LETTER.UNREADABLE');
  });

  it('rotates: the new active key seals, the old one still opens what it sealed', () => {
    const before = cipher.seal(BODY, CONTEXT);
    const rotated = new DeadLetterCipher(keyring('k2', { k2, k1 }));
    const after = rotated.seal(BODY, CONTEXT);
    expect(after.keyId).toBe('k2');
    expect(rotated.open(before, CONTEXT)).toBe(BODY);
    expect(rotated.open(after, CONTEXT)).toBe(BODY);
    // Once the old key is retired, its rows say so rather than failing obscurely.
    expect(codeOf(() => new DeadLetterCipher(keyring('k2', { k2 })).open(before, CONTEXT))).toBe('DEAD_LETTER.KEY_UNAVAILABLE');
  });

  it('names the key id, never the key, in its errors', () => {
    try {
      new DeadLetterCipher(keyring('k1', { k1: k2 })).open(cipher.seal(BODY, CONTEXT), CONTEXT);
    } catch (error) {
      const text = JSON.stringify({ message: (error as Error).message, context: (error as DeadLetterCipherError).context });
      expect(text).toContain('k1');
      expect(text).not.toContain(k1.toString('hex'));
      expect(text).not.toContain(k2.toString('hex'));
    }
    expect.hasAssertions();
  });
});
