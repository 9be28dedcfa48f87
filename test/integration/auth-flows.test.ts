import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { createPasswordHasher } from '../../backend/auth/password-hasher';
import { databaseTargets, TEST_ARGON2 } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

describe.each(databaseTargets())('auth flows on $name', (target) => {
  const auth = useAuthServer(target);

  async function storedUser(email: string) {
    const { db } = openAuthDatabase(auth.server.databaseUrl);
    try {
      return await db.selectFrom('users').selectAll().where('email_normalized', '=', email.toLowerCase()).executeTakeFirst();
    } finally {
      await db.destroy();
    }
  }

  it.runIf(target.enabled)('registers, logs in, reads me, refreshes and logs out', async () => {
    const account = newAccount();
    const registered = await registerAndSignIn(auth.api, account);
    expect(registered).toMatchObject({ expiresIn: 900, user: { email: account.email, name: account.name } });
    expect(registered.user.id).toMatch(/^usr_[\w-]{16,}$/);
    expect(registered.refreshToken).toMatch(/^[\w-]{43}$/);

    const login = await auth.api.post('/auth/login', { email: account.email.toUpperCase(), password: account.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(registered.user);

    const me = await auth.api.get('/auth/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: registered.user.id, email: account.email, name: account.name });

    const refreshed = await auth.api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await auth.api.get('/auth/me', refreshed.body.accessToken)).status).toBe(200);

    expect((await auth.api.post('/auth/logout', { refreshToken: refreshed.body.refreshToken })).status).toBe(204);
    expect((await auth.api.post('/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
    // The other session (the first sign-in) is untouched by this logout.
    expect((await auth.api.post('/auth/refresh', { refreshToken: registered.refreshToken })).status).toBe(200);
  });

  it.runIf(target.enabled)('answers a wrong password and an unknown email identically', async () => {
    const account = newAccount();
    await auth.api.post('/auth/register', account);
    const wrongPassword = await auth.api.post('/auth/login', { email: account.email, password: 'not the password' });
    const unknownUser = await auth.api.post('/auth/login', { email: `nobody-${account.email}`, password: account.password });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
  });

  it.runIf(target.enabled)('stores a salted argon2id hash, never the password', async () => {
    const account = newAccount();
    await auth.api.post('/auth/register', account);
    const row = await storedUser(account.email);
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    expect(row?.password_hash).not.toContain(account.password);
    expect(await createPasswordHasher({ argon2: TEST_ARGON2 }).verify(account.password, row!.password_hash)).toBe(true);
  });

  it.runIf(target.enabled)('signs in with a scrypt hash from before argon2id and upgrades it', async () => {
    const account = newAccount();
    await auth.api.post('/auth/register', account);
    const salt = randomBytes(16);
    const legacy = `$scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${scryptSync(account.password, salt, 32, { N: 2 ** 10, r: 8, p: 1 }).toString('base64url')}`;
    const { db } = openAuthDatabase(auth.server.databaseUrl);
    try {
      await db.updateTable('users').set({ password_hash: legacy }).where('email_normalized', '=', account.email.toLowerCase()).execute();
    } finally {
      await db.destroy();
    }

    expect((await auth.api.post('/auth/login', { email: account.email, password: 'not the password at all' })).status).toBe(401);
    expect((await storedUser(account.email))?.password_hash).toBe(legacy);
    expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(200);
    expect((await storedUser(account.email))?.password_hash).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(200);
  });

  it.runIf(target.enabled)('stores SQL metacharacters and Unicode verbatim', async () => {
    const account = newAccount({
      email: `o'brien+x--${Date.now()}@example.com`,
      name: `Robert'); DROP TABLE users;-- \\ % _ 🎵 Zoë`,
      password: `pa'ss"wo;rd--/*x*/ \\`,
    });
    const registered = await registerAndSignIn(auth.api, account);
    expect(registered.user).toMatchObject({ email: account.email, name: account.name });
    expect((await auth.api.get('/auth/me', registered.accessToken)).body.name).toBe(account.name);
    // A LIKE wildcard in the email must not match other accounts.
    expect((await auth.api.post('/auth/login', { email: '%@example.com', password: account.password })).status).toBe(401);
  });

  it.runIf(target.enabled)('rejects unknown refresh tokens and keeps logout idempotent', async () => {
    expect((await auth.api.post('/auth/refresh', { refreshToken: 'x'.repeat(43) })).status).toBe(401);
    expect((await auth.api.post('/auth/logout', { refreshToken: 'x'.repeat(43) })).status).toBe(204);
  });

  it.runIf(target.enabled)('changes the password and ends other sessions only', async () => {
    const account = newAccount();
    const current = await registerAndSignIn(auth.api, account);
    const other = (await auth.api.post('/auth/login', account)).body;
    const newPassword = 'another long passphrase';

    const wrong = await auth.api.post('/auth/password', { currentPassword: 'not it at all', newPassword }, current.accessToken);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    expect((await auth.api.post('/auth/password', { currentPassword: account.password, newPassword }, current.accessToken)).status).toBe(
      204,
    );

    expect((await auth.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await auth.api.post('/auth/refresh', { refreshToken: current.refreshToken })).status).toBe(200);
    expect((await auth.api.post('/auth/login', account)).status).toBe(401);
    expect((await auth.api.post('/auth/login', { email: account.email, password: newPassword })).status).toBe(200);
  });

  it.runIf(target.enabled)('deletes the account after checking the password', async () => {
    const account = newAccount();
    const session = await registerAndSignIn(auth.api, account);
    expect((await auth.api.delete('/auth/me', { password: 'not the password' }, session.accessToken)).status).toBe(403);
    expect((await auth.api.delete('/auth/me', { password: account.password }, session.accessToken)).status).toBe(204);
    expect((await auth.api.get('/auth/me', session.accessToken)).status).toBe(401);
    expect((await auth.api.post('/auth/login', account)).status).toBe(401);
    expect((await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    // The email is free again: registering makes a new account.
    expect((await registerAndSignIn(auth.api, account)).user.id).not.toBe(session.user.id);
  });

  it.runIf(target.enabled)('reports health with a database round trip', async () => {
    const health = await auth.api.get('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
