import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyselyAuthRepository } from './auth-repository.kysely';
import { type AuthDatabaseHandle, openAuthDatabase } from './database';
import { migrateAuthDatabase } from './migrations';
import { createLimiters, DEFAULT_RATE_LIMITS } from './rate-limits';
import { admitSignIn, type SignInGuardDeps } from './sign-in-guard';
import { createKyselySignInHistory } from './sign-in-history.kysely';

const EMAIL = 'owner@example.com';
const OWNER = 'usr_owner';

describe('admitSignIn', () => {
  let store: AuthDatabaseHandle;
  let deps: SignInGuardDeps;

  beforeEach(async () => {
    store = openAuthDatabase('sqlite::memory:');
    await migrateAuthDatabase(store.db, store.dialect);
    await createKyselyAuthRepository(store.db).createUser({
      id: OWNER,
      email: EMAIL,
      name: 'Owner',
      passwordHash: 'x',
      createdAt: 0,
      disabledAt: null,
    });
    deps = {
      limiters: createLimiters(store.driver, {
        ...DEFAULT_RATE_LIMITS,
        failuresPerAddressAndAccount: { limit: 2, windowSeconds: 60 },
        strangerFailuresPerAccount: { limit: 3, windowSeconds: 60 },
      }),
      signInHistory: createKyselySignInHistory(store.db, store.dialect),
    };
  });
  afterEach(async () => store.db.destroy());

  // `null` for an email with no account (an `undefined` argument would take the default).
  const attempt = (clientAddress: string, email = EMAIL, userId: string | null = OWNER) =>
    admitSignIn(deps, { email, userId: userId ?? undefined, clientAddress });

  it('counts every attempt as a failure until it succeeds, per account and address', async () => {
    await attempt('198.51.100.1');
    await attempt('198.51.100.1');
    await expect(attempt('198.51.100.1')).rejects.toMatchObject({ code: 'rate_limited' });
    // Letter case and spaces make no new account.
    await expect(attempt('198.51.100.1', ' OWNER@example.com')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('counts an IPv6 /64 as one address', async () => {
    await attempt('2001:db8:7:7::1');
    await attempt('2001:db8:7:7:ffff::2');
    await expect(attempt('2001:db8:7:7:1234::3')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(attempt('2001:db8:7:8::1')).resolves.toMatchObject({ knownAddress: false });
  });

  it('holds strangers back per account, but not an address the owner signed in from', async () => {
    await (await attempt('198.51.100.10')).succeeded();
    for (const n of [1, 2, 3]) await attempt(`203.0.113.${n}`);
    await expect(attempt('203.0.113.4')).rejects.toMatchObject({ code: 'rate_limited' });

    const owner = await attempt('198.51.100.10');
    expect(owner.knownAddress).toBe(true);
  });

  it('counts unknown emails like known ones, without an account to remember', async () => {
    for (const n of [1, 2, 3]) await attempt(`203.0.113.${n}`, 'nobody@example.com', null);
    await expect(attempt('203.0.113.4', 'nobody@example.com', null)).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('looks the address up for an unknown email too, so the time taken does not tell whether the account exists', async () => {
    const history = deps.signInHistory;
    const lookups: string[] = [];
    deps.signInHistory = { ...history, isKnown: (userId, address) => (lookups.push(address), history.isKnown(userId, address)) };
    await expect(attempt('198.51.100.50', 'nobody@example.com', null)).resolves.toMatchObject({ knownAddress: false });
    await attempt('198.51.100.51');
    expect(lookups).toEqual(['198.51.100.50', '198.51.100.51']);
  });

  it('clears the address and gives back the stranger count when the password was right', async () => {
    await attempt('198.51.100.20');
    await attempt('198.51.100.21');
    await (await attempt('198.51.100.20')).succeeded();
    expect(await deps.signInHistory.isKnown(OWNER, '198.51.100.20')).toBe(true);
    // Two stranger failures left (21, and 20's first); the success took its own back.
    await attempt('198.51.100.22');
    await expect(attempt('198.51.100.23')).rejects.toMatchObject({ code: 'rate_limited' });
    // 20's failures were cleared: it has its full budget of two, and is known now.
    await attempt('198.51.100.20');
    await expect(attempt('198.51.100.20')).resolves.toMatchObject({ knownAddress: true });
  });

  it('gives everything back when no password was checked after all', async () => {
    for (let i = 0; i < 5; i += 1) await (await attempt('198.51.100.30')).withdrawn();
    await attempt('198.51.100.30');
    await attempt('198.51.100.30');
    await expect(attempt('198.51.100.30')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it("gives back the address's count when the account's stranger limit refuses the attempt", async () => {
    for (const n of [1, 2, 3]) await attempt(`203.0.113.${n}`);
    await expect(attempt('198.51.100.40')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(attempt('198.51.100.40')).rejects.toMatchObject({ code: 'rate_limited' });
    const [row] = await store.db
      .selectFrom('rate_limits')
      .select('points')
      .where('key', 'like', 'failuresPerAddressAndAccount:%:198.51.100.40')
      .execute();
    expect(row?.points).toBe(0);
  });
});
