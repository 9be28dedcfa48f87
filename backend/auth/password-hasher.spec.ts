import { describe, expect, it } from 'vitest';
import { createPasswordHasher, OWASP_SCRYPT } from './password-hasher';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hasher', () => {
  const hasher = createPasswordHasher(cheap);

  it('produces a self-describing hash that is not the password and verifies', async () => {
    const encoded = await hasher.hash('correct horse battery');
    expect(encoded).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(encoded).not.toContain('correct horse battery');
    expect(await hasher.verify('correct horse battery', encoded)).toBe(true);
    expect(await hasher.verify('correct horse batterz', encoded)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('verifies hashes made with other parameters and flags them for rehash', async () => {
    const older = createPasswordHasher({ N: 2 ** 9, r: 4, p: 1 });
    const encoded = await older.hash('an older password');
    expect(await hasher.verify('an older password', encoded)).toBe(true);
    expect(hasher.needsRehash(encoded)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'.repeat(12)))).toBe(false);
  });

  it('treats malformed or hostile hashes as a mismatch', async () => {
    for (const encoded of ['', 'plain', '$scrypt$ln=30,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA', '$bcrypt$x']) {
      expect(await hasher.verify('whatever', encoded)).toBe(false);
    }
  });

  it('normalizes Unicode so composed and decomposed input match', async () => {
    const encoded = await hasher.hash('caf\u00e9-password');
    expect(await hasher.verify('cafe\u0301-password', encoded)).toBe(true);
  });

  it('spends a hash for unknown accounts and always fails', async () => {
    expect(await hasher.verifyAgainstDummy('anything at all')).toBe(false);
  });

  it('defaults to the OWASP parameters', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const encoded = await createPasswordHasher().hash('a production password');
    expect(encoded.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
  });

  it('rejects invalid parameters up front', () => {
    expect(() => createPasswordHasher({ N: 1000, r: 8, p: 1 })).toThrow(/power of two/);
  });
});
