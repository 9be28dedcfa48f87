import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminDeps } from '../../backend/auth/admin/deps';
import {
  type AdminDeps,
  createInvite,
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  listUsers,
} from '../../backend/auth/commands/admin';
import { openAuthDatabase } from '../../backend/auth/database';
import { MemoryRevocations } from '../../backend/auth/revocations.memory';
import { databaseTargets, type TestAuthServer } from '../../backend/auth/testing/auth-test-server';
import { authClient, newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

const DAY_MS = 24 * 60 * 60 * 1000;

async function signIn(api: ReturnType<typeof authClient>, account: { email: string; password: string }) {
  const login = await api.post('/auth/login', { email: account.email, password: account.password });
  expect(login.status).toBe(200);
  return login.body as { accessToken: string; refreshToken: string };
}

/** The admin commands on the server's database; revocations are recorded (the API's side is tested on the local stack). */
async function adminOf(server: TestAuthServer) {
  const revocations = new MemoryRevocations();
  const deps = await openAdminDeps({ databaseUrl: server.databaseUrl, revocations });
  return { deps: deps as AdminDeps, revocations, close: deps.close };
}

/** The headers a client or an observer could tell two answers apart by (Date and the request id always differ). */
const telling = (headers: Headers) =>
  Object.fromEntries(
    ['content-type', 'content-length', 'cache-control', 'set-cookie', 'location'].map((name) => [name, headers.get(name)]),
  );

describe.each(databaseTargets())('registration on $name', (target) => {
  describe('open', () => {
    const auth = useAuthServer(target, { registration: 'open' });

    async function storedUsers(email: string) {
      const { db } = openAuthDatabase(auth.server.databaseUrl);
      try {
        return await db.selectFrom('users').selectAll().where('email_normalized', '=', email.toLowerCase()).execute();
      } finally {
        await db.destroy();
      }
    }

    it.runIf(target.enabled)('tells clients the policy', async () => {
      expect(await auth.api.get('/auth/registration')).toMatchObject({ status: 200, body: { policy: 'open' } });
    });

    it.runIf(target.enabled)('accepts a registration with 202 and no tokens; the client then signs in', async () => {
      const account = newAccount();
      const registered = await auth.api.post('/auth/register', account);
      expect(registered.status).toBe(202);
      expect(registered.body).toEqual({ status: 'accepted' });
      const session = await registerAndSignIn(auth.api, account);
      expect(session.user).toMatchObject({ email: account.email, name: account.name });
    });

    it.runIf(target.enabled)('answers an existing email exactly like a new one and changes nothing', async () => {
      const owner = newAccount();
      await registerAndSignIn(auth.api, owner);
      const [before] = await storedUsers(owner.email);

      const fresh = await auth.api.post('/auth/register', newAccount());
      const taken = await auth.api.post('/auth/register', {
        email: owner.email.toUpperCase(),
        password: 'an intruder passphrase',
        name: 'Intruder',
      });
      expect(taken.status).toBe(fresh.status);
      expect(taken.body).toEqual(fresh.body);
      expect(telling(taken.headers)).toEqual(telling(fresh.headers));

      expect(await storedUsers(owner.email)).toEqual([before]);
      expect((await auth.api.post('/auth/login', { email: owner.email, password: 'an intruder passphrase' })).status).toBe(401);
      expect((await auth.api.post('/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
    });

    it.runIf(target.enabled)('creates exactly one account when 20 registrations of one email race', async () => {
      const account = newAccount();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          auth.api.post('/auth/register', { ...account, email: i % 2 ? account.email.toUpperCase() : account.email, name: `Racer ${i}` }),
        ),
      );
      expect(results.map((result) => result.status)).toEqual(Array(20).fill(202));
      expect(await storedUsers(account.email)).toHaveLength(1);
    });

    it.runIf(target.enabled)('still validates the input first', async () => {
      const invalid = await auth.api.post('/auth/register', { ...newAccount(), email: 'not-an-email' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error).toMatchObject({ code: 'invalid_input', field: 'email' });
    });
  });

  describe('closed', () => {
    const auth = useAuthServer(target, { registration: 'closed' });

    it.runIf(target.enabled)('refuses every registration with 403 registration_closed', async () => {
      expect((await auth.api.get('/auth/registration')).body).toEqual({ policy: 'closed' });
      const refused = await auth.api.post('/auth/register', newAccount());
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('registration_closed');
    });
  });

  describe('invite (the default)', () => {
    // No policy given: the server's own default applies (the test server otherwise opens registration).
    const auth = useAuthServer(target, { registration: undefined });
    let admin: Awaited<ReturnType<typeof adminOf>>;

    beforeAll(async () => {
      if (target.enabled) admin = await adminOf(auth.server);
    });
    afterAll(async () => admin?.close());

    it.runIf(target.enabled)('refuses a registration without a valid invite code with one generic error', async () => {
      expect((await auth.api.get('/auth/registration')).body).toEqual({ policy: 'invite' });
      expect(auth.server.logs).toContainEqual(expect.objectContaining({ msg: 'auth server listening', registration: 'invite' }));
      const missing = await auth.api.post('/auth/register', newAccount());
      const made_up = await auth.api.post('/auth/register', { ...newAccount(), inviteCode: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
      for (const refused of [missing, made_up]) {
        expect(refused.status).toBe(403);
        expect(refused.body.error).toMatchObject({ code: 'invalid_invite', field: 'inviteCode' });
      }
      expect(made_up.body).toEqual(missing.body);
    });

    it.runIf(target.enabled)('lets one invite make one account, typed in any case and grouping', async () => {
      const { code } = await createInvite(admin.deps, {});
      const invited = newAccount();
      await registerAndSignIn(auth.api, { ...invited, inviteCode: ` ${code.toLowerCase().replaceAll('-', ' ')} ` });
      const again = await auth.api.post('/auth/register', { ...newAccount(), inviteCode: code });
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('invalid_invite');
    });

    it.runIf(target.enabled)('refuses an expired invite and one made for another email', async () => {
      const expired = await createInvite({ ...admin.deps, now: () => Date.now() - 8 * DAY_MS }, {});
      const refused = await auth.api.post('/auth/register', { ...newAccount(), inviteCode: expired.code });
      expect(refused.body.error.code).toBe('invalid_invite');

      const invited = newAccount();
      const forInvited = await createInvite(admin.deps, { email: invited.email, days: 1 });
      expect((await auth.api.post('/auth/register', { ...newAccount(), inviteCode: forInvited.code })).body.error.code).toBe(
        'invalid_invite',
      );
      await registerAndSignIn(auth.api, { ...invited, email: invited.email.toUpperCase(), inviteCode: forInvited.code });
    });

    it.runIf(target.enabled)('answers an existing email like a new one and uses the invite up all the same', async () => {
      const owner = newAccount();
      await registerAndSignIn(auth.api, { ...owner, inviteCode: (await createInvite(admin.deps, {})).code });
      const { code } = await createInvite(admin.deps, {});

      const taken = await auth.api.post('/auth/register', { ...owner, password: 'an intruder passphrase', inviteCode: code });
      expect(taken).toMatchObject({ status: 202, body: { status: 'accepted' } });
      expect((await auth.api.post('/auth/login', { email: owner.email, password: 'an intruder passphrase' })).status).toBe(401);
      // Were the code still good, its holder would learn that the email has an account.
      const again = await auth.api.post('/auth/register', { ...newAccount(), inviteCode: code });
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('invalid_invite');
    });

    it.runIf(target.enabled)('makes one account when ten registrations race for one invite', async () => {
      const { code } = await createInvite(admin.deps, {});
      const accounts = Array.from({ length: 10 }, () => newAccount());
      const results = await Promise.all(accounts.map((account) => auth.api.post('/auth/register', { ...account, inviteCode: code })));
      expect(results.map((result) => result.status).sort()).toEqual([202, ...Array(9).fill(403)]);
      const logins = await Promise.all(
        accounts.map((account) => auth.api.post('/auth/login', { email: account.email, password: account.password })),
      );
      expect(logins.filter((login) => login.status === 200)).toHaveLength(1);
    });
  });

  describe('accounts an admin disables, enables and deletes', () => {
    const auth = useAuthServer(target, { registration: 'closed' });
    let admin: Awaited<ReturnType<typeof adminOf>>;

    beforeAll(async () => {
      if (target.enabled) admin = await adminOf(auth.server);
    });
    afterAll(async () => admin?.close());

    it.runIf(target.enabled)('a disabled user cannot sign in or refresh, and the API is told', async () => {
      const account = newAccount();
      const user = await createUser(admin.deps, account);
      const session = await signIn(auth.api, account);

      await disableUser(admin.deps, account.email.toUpperCase());
      const refused = await auth.api.post('/auth/login', { email: account.email, password: account.password });
      const wrong = await auth.api.post('/auth/login', { email: account.email, password: 'not the password at all' });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(wrong.body);
      const refresh = await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken });
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('invalid_refresh_token');
      expect((await auth.api.get('/auth/me', session.accessToken)).status).toBe(401);
      // Its sessions ended, so not even the route that lets a half-deleted account finish its deletion takes the token.
      expect((await auth.api.delete('/auth/me', { password: account.password }, session.accessToken)).status).toBe(401);
      expect(admin.revocations.revokedUsers).toContainEqual({ userId: user.id, reason: 'disabled' });

      await enableUser(admin.deps, account.email);
      await signIn(auth.api, account);
    });

    it.runIf(target.enabled)('lists users without their password hashes, disabled ones marked', async () => {
      const [kept, disabled] = [newAccount(), newAccount()];
      for (const account of [kept, disabled]) await createUser(admin.deps, account);
      await disableUser(admin.deps, disabled.email);
      const users = await listUsers(admin.deps, { limit: 1000 });
      expect(users.find((user) => user.email === kept.email)).toMatchObject({ disabledAt: null });
      expect(users.find((user) => user.email === disabled.email)?.disabledAt).toEqual(expect.any(Number));
      expect(users.map((user) => user.email)).toEqual([...users.map((user) => user.email)].sort());
      for (const user of users) expect(user).not.toHaveProperty('passwordHash');
    });

    it.runIf(target.enabled)('a deleted user is gone, sessions and all, and the API is told to remove their data', async () => {
      const account = newAccount();
      const user = await createUser(admin.deps, account);
      const session = await signIn(auth.api, account);
      await deleteUser(admin.deps, account.email);
      expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(401);
      expect((await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
      expect(admin.revocations.revokedUsers).toContainEqual({ userId: user.id, reason: 'deleted' });
      await expect(deleteUser(admin.deps, account.email)).rejects.toThrow(`no user has the email ${account.email}`);
    });
  });
});
