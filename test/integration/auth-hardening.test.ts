import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../backend/auth/access-tokens';
import type { AuthRepository } from '../../backend/auth/auth-repository';
import { type AuthDatabaseHandle, openAuthDatabase } from '../../backend/auth/database';
import { migrateAuthDatabase } from '../../backend/auth/migrations';
import { createPasswordHasher } from '../../backend/auth/password-hasher';
import { createLimiters, DEFAULT_RATE_LIMITS } from '../../backend/auth/rate-limits';
import { MemoryRevocations } from '../../backend/auth/revocations.memory';
import { createAuthApp } from '../../backend/auth/server';
import { openKeyStore } from '../../backend/auth/signing-keys';
import { createKyselySignInHistory } from '../../backend/auth/sign-in-history.kysely';
import { databaseTargets, TEST_ARGON2 } from '../../backend/auth/testing/auth-test-server';
import { authClient, newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

const sqlite = databaseTargets().find((target) => target.name === 'sqlite')!;
const extensionOrigin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

describe('auth request hardening', () => {
  const auth = useAuthServer(sqlite);

  it('refuses bodies over 16 KiB with 413, with or without Content-Length', async () => {
    const big = { ...newAccount(), name: 'x'.repeat(20_000) };
    const declared = await auth.api.post('/auth/register', big);

    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('too_large');

    const bytes = new TextEncoder().encode(JSON.stringify(big));
    const chunked = await fetch(`${auth.server.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses non-JSON bodies with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const response = await auth.api.send('POST', '/auth/login', { body: 'email=a@b.co', headers: { 'content-type': contentType } });
      expect(response.status).toBe(415);
      expect(response.body.error.code).toBe('unsupported_media_type');
    }
    expect((await auth.api.send('POST', '/auth/logout')).status).toBe(415);
  });

  it('answers malformed JSON and invalid fields with 400 invalid_input', async () => {
    const malformed = await auth.api.send('POST', '/auth/login', { body: '{"email": "a@b.co",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_input');

    const invalid = await auth.api.post('/auth/register', { ...newAccount(), email: 'not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_input', field: 'email' });

    const common = await auth.api.post('/auth/register', newAccount({ password: 'Password123' }));
    expect(common.body.error).toMatchObject({ code: 'invalid_input', field: 'password' });

    expect((await auth.api.post('/auth/login', ['array'])).status).toBe(400);
  });

  it('answers unknown routes and wrong methods with the JSON error body', async () => {
    expect(await auth.api.get('/auth/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await auth.api.send('PUT', '/auth/login', { body: {} })).status).toBe(405);
  });

  it('allows extension origins through CORS and no one else', async () => {
    const preflight = await fetch(`${auth.server.url}/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: extensionOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(extensionOrigin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

    const firefox = await fetch(`${auth.server.url}/health`, {
      headers: { origin: 'moz-extension://0b6b4a2c-8f7e-4b5e-9b1a-2f3c4d5e6f70' },
    });
    expect(firefox.headers.get('access-control-allow-origin')).toBe('moz-extension://0b6b4a2c-8f7e-4b5e-9b1a-2f3c4d5e6f70');
    const stranger = await fetch(`${auth.server.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers and never caches credentials', async () => {
    const response = await auth.api.post('/auth/register', newAccount());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('logs one structured line per request without passwords or tokens', async () => {
    const account = newAccount({ password: 'log-canary-password-7731' });
    const session = await registerAndSignIn(auth.api, account);
    await auth.api.post('/auth/login', { email: account.email, password: 'wrong-canary-password-7731' });
    await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    const response = await auth.api.send('GET', '/auth/me', { token: session.accessToken, headers: { 'x-request-id': 'req-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');

    const written = JSON.stringify(auth.server.logs);
    for (const secret of ['canary-password-7731', session.refreshToken, session.accessToken]) expect(written).not.toContain(secret);
    expect(auth.server.logs).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/auth/me', status: 200, requestId: 'req-abc-123', ms: expect.any(Number) }),
    );
  });
});

describe('auth rate limits', () => {
  const auth = useAuthServer(sqlite, {
    rateLimits: {
      loginPerAddress: { limit: 8, windowSeconds: 60 },
      failuresPerAddressAndAccount: { limit: 3, windowSeconds: 120 },
      strangerFailuresPerAccount: { limit: 100, windowSeconds: 120 },
      registerPerAddress: { limit: 2, windowSeconds: 60 },
    },
  });

  it('limits failed logins per account and address, then logins per address, with Retry-After', async () => {
    const account = newAccount();
    await registerAndSignIn(auth.api, account);
    for (let i = 0; i < 3; i += 1)
      expect((await auth.api.post('/auth/login', { ...account, password: 'wrong password' })).status).toBe(401);
    const locked = await auth.api.post('/auth/login', account);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(120);

    // Other accounts are unaffected until the address's own budget (8 logins) runs out.
    const other = newAccount();
    for (let i = 0; i < 3; i += 1) expect((await auth.api.post('/auth/login', other)).status).toBe(401);
    const byAddress = await auth.api.post('/auth/login', other);
    expect(byAddress.status).toBe(429);
    expect(Number(byAddress.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits registrations per address', async () => {
    // One registration happened above; the budget is two.
    expect((await auth.api.post('/auth/register', newAccount())).status).toBe(202);
    const refused = await auth.api.post('/auth/register', newAccount());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('wrong current passwords', () => {
  const auth = useAuthServer(sqlite, { rateLimits: { wrongPasswordsPerUser: { limit: 2, windowSeconds: 120 } } });

  it('are limited per user, counted before the check, and right ones never count', async () => {
    const account = newAccount();
    const { accessToken } = await registerAndSignIn(auth.api, account);
    const newPassword = 'another long unusual passphrase';
    for (const [currentPassword, next] of [
      [account.password, newPassword],
      [newPassword, account.password],
      [account.password, newPassword],
    ]) {
      expect((await auth.api.post('/auth/password', { currentPassword, newPassword: next }, accessToken)).status).toBe(204);
    }

    const parallel = await Promise.all(
      Array.from({ length: 10 }, () =>
        auth.api.post('/auth/password', { currentPassword: 'not it at all', newPassword: account.password }, accessToken),
      ),
    );
    expect(parallel.map((response) => response.status).sort()).toEqual([403, 403, ...Array.from({ length: 8 }, () => 429)]);
    const refused = await auth.api.delete('/auth/me', { password: newPassword }, accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
  });
});

describe('auth failures of its dependencies', () => {
  let http: Server;
  let dir: string;
  let store: AuthDatabaseHandle;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-auth-'));
    // Only the users' repository fails; the counters live in a database of their own here.
    store = openAuthDatabase('sqlite::memory:');
    await migrateAuthDatabase(store.db, store.dialect);
    const keys = await openKeyStore(join(dir, 'keys.json'));
    const broken = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:3306 at Pool.query (mysql2/lib/pool.js:42)'));
    const repository = new Proxy({}, { get: () => broken }) as AuthRepository;
    const app = createAuthApp({
      repository,
      keys,
      passwords: createPasswordHasher({ argon2: TEST_ARGON2 }),
      limiters: createLimiters(store.driver, DEFAULT_RATE_LIMITS),
      signInHistory: createKyselySignInHistory(store.db, store.dialect),
      accessTokens: createAccessTokens({ keys, issuer: 'http://auth.test', audience: 'alktunes-api' }),
      issuer: 'http://auth.test',
      audience: 'alktunes-api',
      log: (entry) => logs.push(entry),
      revocations: new MemoryRevocations(),
      registration: 'open',
    });
    http = createServer(app.callback());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    await store?.db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const url = () => `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  it('hides internal errors behind a 500 internal body and logs them', async () => {
    const response = await authClient(url()).post('/auth/login', { email: 'a@b.co', password: 'whatever it is' });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|pool\.js|at /);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', msg: 'unhandled error' }));
  });

  it('reports an unreachable database as 503 on /health', async () => {
    const response = await authClient(url()).get('/health');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('unavailable');
  });
});
