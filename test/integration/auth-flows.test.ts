import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { createPasswordHasher } from '../../backend/auth/password-hasher';
import { databaseTargets, startTestAuthServer, TEST_SCRYPT, type TestAuthServer } from '../../backend/auth/testing/auth-test-server';
import { authClient, newAccount } from '../../backend/auth/testing/http-client';

describe.each(databaseTargets())('auth flows on $name', (target) => {
  let server: TestAuthServer;
  let api: ReturnType<typeof authClient>;

  beforeAll(async () => {
    if (!target.enabled) return;
    server = await startTestAuthServer(target);
    api = authClient(server.url);
  });
  afterAll(async () => server?.dispose());

  async function storedUser(email: string) {
    const { db } = openAuthDatabase(server.databaseUrl);
    try {
      return await db.selectFrom('users').selectAll().where('email_normalized', '=', email.toLowerCase()).executeTakeFirst();
    } finally {
      await db.destroy();
    }
  }

  it.runIf(target.enabled)('registers, logs in, reads me, refreshes and logs out', async () => {
    const account = newAccount();
    const registered = await api.post('/auth/register', account);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ expiresIn: 900, user: { email: account.email, name: account.name } });
    expect(registered.body.user.id).toMatch(/^usr_[\w-]{16,}$/);
    expect(registered.body.refreshToken).toMatch(/^[\w-]{43}$/);

    const login = await api.post('/auth/login', { email: account.email.toUpperCase(), password: account.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(registered.body.user);

    const me = await api.get('/auth/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: registered.body.user.id, email: account.email, name: account.name });

    const refreshed = await api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await api.get('/auth/me', refreshed.body.accessToken)).status).toBe(200);

    expect((await api.post('/auth/logout', { refreshToken: refreshed.body.refreshToken })).status).toBe(204);
    expect((await api.post('/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
    // The other session (from register) is untouched by this logout.
    expect((await api.post('/auth/refresh', { refreshToken: registered.body.refreshToken })).status).toBe(200);
  });

  it.runIf(target.enabled)('refuses a second account for the same email in another letter case', async () => {
    const account = newAccount();
    expect((await api.post('/auth/register', account)).status).toBe(201);
    const again = await api.post('/auth/register', { ...account, email: account.email.toUpperCase(), name: 'Someone else' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it.runIf(target.enabled)('lets exactly one of 20 parallel registrations of one email win', async () => {
    const account = newAccount();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post('/auth/register', { ...account, email: i % 2 ? account.email.toUpperCase() : account.email })),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
  });

  it.runIf(target.enabled)('answers a wrong password and an unknown email identically', async () => {
    const account = newAccount();
    await api.post('/auth/register', account);
    const wrongPassword = await api.post('/auth/login', { email: account.email, password: 'not the password' });
    const unknownUser = await api.post('/auth/login', { email: `nobody-${account.email}`, password: account.password });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
  });

  it.runIf(target.enabled)('stores a salted scrypt hash, never the password', async () => {
    const account = newAccount();
    await api.post('/auth/register', account);
    const row = await storedUser(account.email);
    expect(row?.password_hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(row?.password_hash).not.toContain(account.password);
    expect(await createPasswordHasher(TEST_SCRYPT).verify(account.password, row!.password_hash)).toBe(true);
  });

  it.runIf(target.enabled)('stores SQL metacharacters and Unicode verbatim', async () => {
    const account = newAccount({
      email: `o'brien+x--${Date.now()}@example.com`,
      name: `Robert'); DROP TABLE users;-- \\ % _ 🎵 Zoë`,
      password: `pa'ss"wo;rd--/*x*/ \\`,
    });
    const registered = await api.post('/auth/register', account);
    expect(registered.status).toBe(201);
    expect(registered.body.user).toMatchObject({ email: account.email, name: account.name });
    expect((await api.get('/auth/me', registered.body.accessToken)).body.name).toBe(account.name);
    expect((await api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(200);
    // A LIKE wildcard in the email must not match other accounts.
    expect((await api.post('/auth/login', { email: '%@example.com', password: account.password })).status).toBe(401);
  });

  it.runIf(target.enabled)('revokes the whole family when a rotated refresh token is reused', async () => {
    const first = (await api.post('/auth/register', newAccount())).body;
    const second = (await api.post('/auth/refresh', { refreshToken: first.refreshToken })).body;
    const reuse = await api.post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('invalid_refresh_token');
    // The token the legitimate client holds dies too: whoever had the leaked one can't continue.
    expect((await api.post('/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
  });

  it.runIf(target.enabled)('lets only one of two concurrent refreshes with the same token succeed', async () => {
    const session = (await api.post('/auth/register', newAccount())).body;
    const results = await Promise.all([1, 2].map(() => api.post('/auth/refresh', { refreshToken: session.refreshToken })));
    expect(results.filter((result) => result.status === 200).length).toBeLessThanOrEqual(1);
  });

  it.runIf(target.enabled)('rejects unknown refresh tokens and keeps logout idempotent', async () => {
    expect((await api.post('/auth/refresh', { refreshToken: 'x'.repeat(43) })).status).toBe(401);
    expect((await api.post('/auth/logout', { refreshToken: 'x'.repeat(43) })).status).toBe(204);
  });

  it.runIf(target.enabled)('changes the password and ends other sessions only', async () => {
    const account = newAccount();
    const current = (await api.post('/auth/register', account)).body;
    const other = (await api.post('/auth/login', account)).body;
    const newPassword = 'another long passphrase';

    const wrong = await api.post('/auth/password', { currentPassword: 'not it at all', newPassword }, current.accessToken);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    expect((await api.post('/auth/password', { currentPassword: account.password, newPassword }, current.accessToken)).status).toBe(204);

    expect((await api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await api.post('/auth/refresh', { refreshToken: current.refreshToken })).status).toBe(200);
    expect((await api.post('/auth/login', account)).status).toBe(401);
    expect((await api.post('/auth/login', { email: account.email, password: newPassword })).status).toBe(200);
  });

  it.runIf(target.enabled)('deletes the account after checking the password', async () => {
    const account = newAccount();
    const session = (await api.post('/auth/register', account)).body;
    expect((await api.delete('/auth/me', { password: 'not the password' }, session.accessToken)).status).toBe(403);
    expect((await api.delete('/auth/me', { password: account.password }, session.accessToken)).status).toBe(204);
    expect((await api.get('/auth/me', session.accessToken)).status).toBe(401);
    expect((await api.post('/auth/login', account)).status).toBe(401);
    expect((await api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await api.post('/auth/register', account)).status).toBe(201);
  });

  it.runIf(target.enabled)('reports health with a database round trip', async () => {
    const health = await api.get('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
