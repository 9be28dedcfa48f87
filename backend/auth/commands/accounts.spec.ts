import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthRepository, UserRecord } from '../auth-repository';
import { createKyselyAuthRepository } from '../auth-repository.kysely';
import { type AuthDatabaseHandle, openAuthDatabase } from '../database';
import { createHashGate } from '../hash-gate';
import { migrateAuthDatabase } from '../migrations';
import { createPasswordHasher } from '../password-hasher';
import { createLimiters, DEFAULT_RATE_LIMITS, type Limiters } from '../rate-limits';
import type { SignInHistory } from '../sign-in-history';
import { createKyselySignInHistory } from '../sign-in-history.kysely';
import { authenticateUser, registerUser } from './accounts';

const cheap = { memoryKiB: 256, passes: 1, parallelism: 1 };

const user = (passwordHash: string): UserRecord => ({
  id: 'usr_1',
  email: 'a@b.co',
  name: 'A',
  passwordHash,
  createdAt: 0,
  disabledAt: null,
});

describe('authenticateUser', () => {
  // The real repository, counters and sign-in history, in an in-memory SQLite database.
  let store: AuthDatabaseHandle;
  let repository: AuthRepository;
  let limiters: Limiters;
  let signInHistory: SignInHistory;

  /** The repository with `users` in it. */
  async function withUsers(...users: UserRecord[]) {
    for (const one of users) await repository.createUser(one);
    return repository;
  }

  beforeEach(async () => {
    store = openAuthDatabase('sqlite::memory:');
    await migrateAuthDatabase(store.db, store.dialect);
    limiters = createLimiters(store.driver, { ...DEFAULT_RATE_LIMITS, failuresPerAddressAndAccount: { limit: 1, windowSeconds: 60 } });
    signInHistory = createKyselySignInHistory(store.db, store.dialect);
    repository = createKyselyAuthRepository(store.db);
  });
  afterEach(async () => store.db.destroy());

  it('spends a hash on an unknown email and fails like a wrong password', async () => {
    const passwords = createPasswordHasher({ argon2: cheap });
    const dummy = vi.spyOn(passwords, 'verifyAgainstDummy');
    const deps = { repository, passwords, limiters, signInHistory };
    await expect(authenticateUser(deps, { email: 'nobody@example.com', password: 'whatever it is' }, '127.0.0.1')).rejects.toMatchObject({
      publicCode: 'invalid_credentials',
      code: 'unauthorized',
    });
    expect(dummy).toHaveBeenCalledOnce();
  });

  it('upgrades a scrypt hash from before argon2id on successful login', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('the right password', salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    await withUsers(user(`$scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`));
    const passwords = createPasswordHasher({ argon2: cheap });
    const result = await authenticateUser(
      { repository, passwords, limiters, signInHistory, now: () => 5 },
      { email: 'A@B.co', password: 'the right password' },
      '127.0.0.1',
    );
    expect(result.passwordHash.startsWith('$argon2id$v=19$m=256,t=1,p=1$')).toBe(true);
    expect((await repository.findUserById('usr_1'))?.passwordHash).toBe(result.passwordHash);
  });

  it('remembers the address of a successful sign-in, and sends it ahead of the hash queue next time', async () => {
    const passwords = createPasswordHasher({ argon2: cheap });
    const verify = vi.spyOn(passwords, 'verify');
    const deps = { repository: await withUsers(user(await passwords.hash('the right password'))), passwords, limiters, signInHistory };
    await authenticateUser(deps, { email: 'a@b.co', password: 'the right password' }, '2001:db8::1');
    await authenticateUser(deps, { email: 'a@b.co', password: 'the right password' }, '2001:db8::2');
    expect(verify.mock.calls.map(([, , options]) => options)).toEqual([{ priority: false }, { priority: true }]);
    expect(await signInHistory.isKnown('usr_1', '2001:db8::/64')).toBe(true);
  });

  it("doesn't count an attempt the busy server turned away", async () => {
    const gate = createHashGate({ maxRunning: 1, maxWaiting: 0 });
    const passwords = createPasswordHasher({ argon2: cheap, gate });
    const deps = { repository: await withUsers(user(await passwords.hash('the right password'))), passwords, limiters, signInHistory };
    let release!: () => void;
    const occupied = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 3; i += 1) {
      await expect(authenticateUser(deps, { email: 'a@b.co', password: 'a wrong guess' }, '127.0.0.1')).rejects.toMatchObject({
        publicCode: 'server_busy',
        code: 'unavailable',
      });
    }
    release();
    await occupied;
    // The (account, address) budget is one failure: the busy answers left it untouched.
    await expect(authenticateUser(deps, { email: 'a@b.co', password: 'a wrong guess' }, '127.0.0.1')).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(authenticateUser(deps, { email: 'a@b.co', password: 'the right password' }, '127.0.0.1')).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });
});

describe('registerUser', () => {
  let store: AuthDatabaseHandle;
  let repository: AuthRepository;

  beforeEach(async () => {
    store = openAuthDatabase('sqlite::memory:');
    await migrateAuthDatabase(store.db, store.dialect);
    repository = createKyselyAuthRepository(store.db);
  });
  afterEach(async () => store.db.destroy());

  it('hashes the password for a taken email too, and then changes nothing', async () => {
    const passwords = createPasswordHasher({ argon2: cheap });
    const hash = vi.spyOn(passwords, 'hash');
    const deps = { repository, passwords, registration: 'open' as const };
    await registerUser(deps, { email: 'Ada@Example.com', password: 'the first passphrase', name: 'Ada' });
    const first = await repository.findUserByEmail('ada@example.com');

    await expect(
      registerUser(deps, { email: 'ADA@example.com', password: 'another passphrase', name: 'Someone else' }),
    ).resolves.toBeUndefined();
    expect(hash).toHaveBeenCalledTimes(2);
    expect(await repository.findUserByEmail('ada@example.com')).toEqual(first);
  });

  it('refuses under closed, and under invite without a code, before hashing anything', async () => {
    const passwords = createPasswordHasher({ argon2: cheap });
    const hash = vi.spyOn(passwords, 'hash');
    const input = { email: 'ada@example.com', password: 'the first passphrase', name: 'Ada' };
    await expect(registerUser({ repository, passwords, registration: 'closed' }, input)).rejects.toMatchObject({
      publicCode: 'registration_closed',
      code: 'forbidden',
    });
    await expect(registerUser({ repository, passwords, registration: 'invite' }, input)).rejects.toMatchObject({
      publicCode: 'invalid_invite',
      code: 'forbidden',
    });
    expect(hash).not.toHaveBeenCalled();
    expect(await repository.findUserByEmail(input.email)).toBeUndefined();
  });
});
