import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHashGate } from './hash-gate';
import { createPasswordHasher, OWASP_ARGON2ID } from './password-hasher';

const cheap = { memoryKiB: 256, passes: 1, parallelism: 1 };

/** A hash as the scrypt hasher of earlier versions stored it. */
function legacyScryptHash(password: string, ln = 10) {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** ln, r: 8, p: 1 });
  return `$scrypt$ln=${ln},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('password hasher', () => {
  const hasher = createPasswordHasher({ argon2: cheap });

  it('produces an argon2id PHC string that is not the password and verifies', async () => {
    const encoded = await hasher.hash('correct horse battery');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(encoded).not.toContain('correct horse battery');
    expect(await hasher.verify('correct horse battery', encoded)).toBe(true);
    expect(await hasher.verify('correct horse batterz', encoded)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('verifies hashes made with other argon2id parameters and flags them for rehash', async () => {
    const older = createPasswordHasher({ argon2: { memoryKiB: 128, passes: 2, parallelism: 1 } });
    const encoded = await older.hash('an older password');
    expect(await hasher.verify('an older password', encoded)).toBe(true);
    expect(hasher.needsRehash(encoded)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'.repeat(12)))).toBe(false);
  });

  it('verifies scrypt hashes stored before argon2id and flags them for rehash', async () => {
    const encoded = legacyScryptHash('a password from the scrypt days');
    expect(await hasher.verify('a password from the scrypt days', encoded)).toBe(true);
    expect(await hasher.verify('another password entirely', encoded)).toBe(false);
    expect(hasher.needsRehash(encoded)).toBe(true);
  });

  it('treats malformed or hostile hashes as a mismatch without deriving anything', async () => {
    const salt = 'A'.repeat(22);
    const key = 'A'.repeat(43);
    const hostile = [
      '',
      'plain',
      '$bcrypt$x',
      '$scrypt$ln=30,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA',
      `$argon2id$v=19$m=4194304,t=2,p=1$${salt}$${key}`, // 4 GiB of memory
      `$argon2id$v=19$m=19456,t=99,p=1$${salt}$${key}`,
      `$argon2id$v=19$m=19456,t=2,p=64$${salt}$${key}`,
      `$argon2id$v=19$m=4,t=2,p=1$${salt}$${key}`,
      `$argon2id$v=16$m=19456,t=2,p=1$${salt}$${key}`,
      `$argon2i$v=19$m=19456,t=2,p=1$${salt}$${key}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$AAAA`,
    ];
    for (const encoded of hostile) {
      expect(await hasher.verify('whatever', encoded), encoded).toBe(false);
      expect(hasher.needsRehash(encoded)).toBe(true);
    }
  });

  it('normalizes Unicode so composed and decomposed input match', async () => {
    const encoded = await hasher.hash('caf\u00e9-password');
    expect(await hasher.verify('cafe\u0301-password', encoded)).toBe(true);
  });

  it('spends a hash for unknown accounts and always fails', async () => {
    expect(await hasher.verifyAgainstDummy('anything at all')).toBe(false);
  });

  it('defaults to the OWASP argon2id setting', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryKiB: 19456, passes: 2, parallelism: 1 });
    const encoded = await createPasswordHasher().hash('a production password');
    expect(encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
  });

  it('rejects out-of-range parameters up front', () => {
    expect(() => createPasswordHasher({ argon2: { memoryKiB: 4, passes: 1, parallelism: 1 } })).toThrow(/out of range/);
    expect(() => createPasswordHasher({ argon2: { memoryKiB: 19456, passes: 0, parallelism: 1 } })).toThrow(/out of range/);
  });

  it('runs every hash through its gate', async () => {
    const gate = createHashGate({ maxRunning: 1, maxWaiting: 1 });
    const gated = createPasswordHasher({ argon2: cheap, gate });
    const encoded = await gated.hash('a gated password');
    const three = [gated.verify('a gated password', encoded), gated.verify('a gated password', encoded), gated.verifyAgainstDummy('x')];
    const results = await Promise.allSettled(three);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ publicCode: 'server_busy', code: 'unavailable' });
  });
});
