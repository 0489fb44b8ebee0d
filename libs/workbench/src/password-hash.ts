import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt as OWASP's password storage cheat sheet gives it: N = 2^17, r = 8, p = 1 (128 MiB and
 * ≈ 0.3 s a hash on this machine), a 16-byte random salt, a 32-byte key. The parameters are
 * stored with each hash (`scrypt$N$r$p$salt$key`, base64), so raising them later leaves old
 * hashes verifiable.
 */
export const SCRYPT_PARAMETERS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

interface Parameters {
  N: number;
  r: number;
  p: number;
}

export async function hashPassword(password: string, parameters: Parameters = SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SCRYPT_PARAMETERS.saltLength);
  const key = await derive(password, salt, SCRYPT_PARAMETERS.keyLength, parameters);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong password and for a hash this code cannot read (never throws on stored data). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length === 0) return false;
  const actual = await derive(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}

function derive(password: string, salt: Buffer, keyLength: number, { N, r, p }: Parameters): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below N = 2^17.
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key))));
}
