import { hashPassword, SCRYPT_PARAMETERS, verifyPassword } from './password-hash';

// Cheap parameters: the format and the check are what is tested, not scrypt's cost.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the password it was made from and no other', async () => {
    const hash = await hashPassword('正确的马电池钉', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('正确的马电池钉', hash)).resolves.toBe(true);
    await expect(verifyPassword('正确的马电池', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('states OWASP parameters by default', async () => {
    expect(SCRYPT_PARAMETERS).toMatchObject({ N: 131072, r: 8, p: 1 });
    expect((await hashPassword('x')).split('$').slice(1, 4)).toEqual(['131072', '8', '1']);
  });

  it('refuses hashes it cannot read instead of throwing', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$a$8$1$c2FsdA==$a2V5', 'scrypt$1024$8$1$c2FsdA==$']) {
      await expect(verifyPassword('x', stored)).resolves.toBe(false);
    }
  });
});
