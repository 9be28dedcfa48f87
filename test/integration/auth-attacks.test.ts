/*
 * Attacks on signing in, against a running local stack and the auth server on each database:
 * forged client addresses, strangers' failures that would lock the owner out, parallel guesses
 * that race the counters, and a flood that fills the password-hash queue. Source addresses vary
 * inside 127.0.0.0/8 (every one of them reaches a server listening on 127.0.0.1).
 */
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount } from '../../backend/auth/testing/http-client';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import { useAuthServer } from '../support/auth-server';
import { sharedDynamoDb } from '../support/shared-dynamodb';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  // Test code reads whatever the server returned.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
}

/** Sends JSON (POST unless told otherwise) from the source address `from`, on a connection of its own. */
function post(
  baseUrl: string,
  path: string,
  body: unknown,
  options: { from: string; headers?: Record<string, string>; token?: string; method?: string },
) {
  const url = new URL(path, baseUrl);
  const payload = JSON.stringify(body);
  return new Promise<Answer>((resolve, reject) => {
    const started = performance.now();
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method ?? 'POST',
        localAddress: options.from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          // Node sends a DELETE's body unframed unless told its length.
          'content-length': Buffer.byteLength(payload),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: text ? JSON.parse(text) : undefined,
            ms: performance.now() - started,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const countBy = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
const range = (count: number) => Array.from({ length: count }, (_, i) => i);

type Account = ReturnType<typeof newAccount>;

/** Registers `account` from the local address `from`, then signs in from `signInFrom` (http-client's helper can't pick the address). */
async function registerAndSignInFrom(authUrl: string, account: Account, from: string, signInFrom = from) {
  const registered = await post(authUrl, '/auth/register', account, { from });
  expect(registered.status).toBe(202);
  const login = await post(authUrl, '/auth/login', { email: account.email, password: account.password }, { from: signInFrom });
  expect(login.status).toBe(200);
  return login.body as { accessToken: string; user: { id: string } };
}

const login = (authUrl: string, account: Account, from: string, password = account.password) =>
  post(authUrl, '/auth/login', { email: account.email, password }, { from });

/** The limits these tests count against; the server's defaults are larger. */
const limits = {
  loginPerAddress: { limit: 20, windowSeconds: 300 },
  failuresPerAddressAndAccount: { limit: 5, windowSeconds: 900 },
  strangerFailuresPerAccount: { limit: 10, windowSeconds: 900 },
};

describe('signing in under attack, on the local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  const requestLogs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alktunes-attacks-'));
    stack = await startLocalStack({
      dataDir,
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      ...sharedDynamoDb('auth-attacks'),
      requestLog: (entry) => requestLogs.push(entry),
      // As on the instance: nginx on the loopback is the one proxy whose X-Forwarded-For counts.
      authServer: { trustedProxies: ['127.0.0.1'], rateLimits: limits, hashGate: { maxRunning: 2, maxWaiting: 8 } },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const loggedAddress = (requestId: string) => requestLogs.find((entry) => entry.requestId === requestId)?.ip;

  it('takes the client address from X-Forwarded-For only when a trusted proxy sent it', async () => {
    const viaProxy = await post(
      stack.auth,
      '/auth/login',
      {},
      { from: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.7', 'x-request-id': 'via-proxy' } },
    );
    const direct = await post(
      stack.auth,
      '/auth/login',
      {},
      {
        from: '127.0.10.1',
        headers: { 'x-forwarded-for': '198.51.100.8', 'cloudfront-viewer-address': '198.51.100.8:443', 'x-request-id': 'direct' },
      },
    );
    expect([viaProxy.status, direct.status]).toEqual([400, 400]);
    // The proxy appended the address it saw; what the client claimed before it is not believed.
    expect(loggedAddress('via-proxy')).toBe('198.51.100.7');
    expect(loggedAddress('direct')).toBe('127.0.10.1');
  });

  it('gives a direct client forging X-Forwarded-For or CloudFront-Viewer-Address no new budget', async () => {
    const statuses: number[] = [];
    for (const i of range(limits.loginPerAddress.limit + 5)) {
      const forged = { 'x-forwarded-for': `198.51.100.${i + 1}`, 'cloudfront-viewer-address': `198.51.100.${i + 1}:4433` };
      statuses.push((await post(stack.auth, '/auth/login', {}, { from: '127.0.11.1', headers: forged })).status);
    }
    expect(statuses.slice(0, limits.loginPerAddress.limit).every((status) => status === 400)).toBe(true);
    expect(statuses.slice(limits.loginPerAddress.limit)).toEqual(range(5).map(() => 429));
  });

  it("doesn't let strangers' failures from many addresses lock the owner out of an address they used before", async () => {
    const owner = newAccount();
    await registerAndSignInFrom(stack.auth, owner, '127.0.20.1');

    const strangers = [];
    for (const i of range(30)) strangers.push(await login(stack.auth, owner, `127.0.21.${i + 1}`, 'a wrong guess of a stranger'));
    expect(countBy(strangers)).toEqual({ 401: limits.strangerFailuresPerAccount.limit, 429: 30 - limits.strangerFailuresPerAccount.limit });

    expect((await login(stack.auth, owner, '127.0.20.1')).status).toBe(200);
    // A new address is a stranger too until it has signed in: it waits out the attack.
    const fromNewAddress = await login(stack.auth, owner, '127.0.20.2');
    expect(fromNewAddress.status).toBe(429);
    expect(Number(fromNewAddress.headers['retry-after'])).toBeGreaterThan(0);
  }, 60_000);

  it('lets exactly the limit of 20 parallel wrong guesses reach the password check', async () => {
    const owner = newAccount();
    await registerAndSignInFrom(stack.auth, owner, '127.0.30.1');

    const fromOneAddress = await Promise.all(range(20).map(() => login(stack.auth, owner, '127.0.31.1', 'a parallel wrong guess')));
    expect(countBy(fromOneAddress)).toEqual({
      401: limits.failuresPerAddressAndAccount.limit,
      429: 20 - limits.failuresPerAddressAndAccount.limit,
    });

    const other = newAccount();
    await registerAndSignInFrom(stack.auth, other, '127.0.32.1');
    const fromManyAddresses = await Promise.all(
      range(20).map((i) => login(stack.auth, other, `127.0.33.${i + 1}`, 'a parallel wrong guess')),
    );
    expect(countBy(fromManyAddresses)).toEqual({
      401: limits.strangerFailuresPerAccount.limit,
      429: 20 - limits.strangerFailuresPerAccount.limit,
    });
  }, 60_000);

  it('answers 503 at once when the hash queue is full, and the owner still signs in', async () => {
    const owner = newAccount();
    await registerAndSignInFrom(stack.auth, owner, '127.0.40.1');

    // 40 logins with unknown emails from 40 addresses: no per-address or per-account limit stops them.
    const flood = range(40).map((i) => login(stack.auth, newAccount(), `127.0.41.${i + 1}`));
    const ownerLogin = login(stack.auth, owner, '127.0.40.1');
    const answers = await Promise.all(flood);
    const signedIn = await ownerLogin;

    const busy = answers.filter((answer) => answer.status === 503);
    const checked = answers.filter((answer) => answer.status === 401);
    expect(busy.length + checked.length).toBe(40);
    // Two hashing, eight waiting, in whatever order the requests arrive; the rest is turned away.
    expect(checked.length).toBeGreaterThanOrEqual(10);
    expect(busy.length).toBeGreaterThanOrEqual(20);
    expect(busy[0]!.body.error.code).toBe('server_busy');
    expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThan(0);
    // Turned away without waiting for a hash: faster than any request that waited its turn.
    expect(Math.max(...busy.map((answer) => answer.ms))).toBeLessThan(Math.max(...checked.map((answer) => answer.ms)));
    // The owner, from an address they signed in from, goes ahead of the strangers' queue.
    expect(signedIn.status).toBe(200);
    expect(signedIn.ms).toBeLessThan(Math.max(...checked.map((answer) => answer.ms)));
  }, 60_000);
});

describe.each(databaseTargets())('sign-in limits on $name', (target) => {
  const auth = useAuthServer(target, { rateLimits: limits });

  it.runIf(target.enabled)('counts parallel guesses atomically in the shared store', async () => {
    const owner = newAccount();
    await registerAndSignInFrom(auth.server.url, owner, '127.0.50.1');
    const guesses = await Promise.all(range(20).map(() => login(auth.server.url, owner, '127.0.51.1', 'a parallel wrong guess')));
    expect(countBy(guesses)).toEqual({
      401: limits.failuresPerAddressAndAccount.limit,
      429: 20 - limits.failuresPerAddressAndAccount.limit,
    });
    // Success clears the owner's own failures; strangers' failures don't block a known address.
    expect((await login(auth.server.url, owner, '127.0.50.1', 'the owner mistyping')).status).toBe(401);
    expect((await login(auth.server.url, owner, '127.0.50.1')).status).toBe(200);
  });

  it.runIf(target.enabled)('remembers where an account signed in from, and forgets it with the account', async () => {
    const owner = newAccount();
    const session = await registerAndSignInFrom(auth.server.url, owner, '127.0.60.1', '127.0.60.2');
    const { db } = openAuthDatabase(auth.server.databaseUrl);
    try {
      // Read through an untyped handle: the table's row type is the adapter's business.
      const known = () =>
        db
          .selectFrom('sign_in_history' as never)
          .select(['address_key' as never])
          .where('user_id' as never, '=', session.user.id as never)
          .execute();
      expect(await known()).toEqual([{ address_key: '127.0.60.2' }]);
      const deleted = await post(
        auth.server.url,
        '/auth/me',
        { password: owner.password },
        { from: '127.0.60.2', method: 'DELETE', token: session.accessToken },
      );
      expect(deleted.status).toBe(204);
      expect(await known()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
