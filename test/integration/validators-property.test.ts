/*
 * Request validation under random input: random methods' worth of path parameters, queries,
 * JSON values, raw bytes and content types sent to every API route through the local gateway,
 * and to the auth server's POST routes. With every dependency up, nothing may answer 5xx.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRoutes } from '../../backend/api/routes';
import { DEFAULT_RATE_LIMITS } from '../../backend/auth/rate-limits';
import { MemoryRevocations } from '../../backend/auth/revocations.memory';
import { startAuthServer, type RunningAuthServer } from '../../backend/auth/server';
import { TEST_ARGON2 } from '../../backend/auth/testing/auth-test-server';
import { apiAudience } from '../../backend/local/config';
import { logger } from '../../backend/lambda-runtime/logger';
import { ApiClient, appendEntries, catalogTrackIds, signUp, type Account } from '../support/api-client';
import { startFreshStack, type FreshStack } from '../support/local-stack';

let fresh: FreshStack;
let account: Account;
let auth: RunningAuthServer;
let authDir: string;
const known: { playlistIds: string[]; entryIds: string[]; trackIds: string[] } = { playlistIds: [], entryIds: [], trackIds: [] };

beforeAll(async () => {
  fresh = await startFreshStack('validators');
  account = await signUp(fresh.stack.auth, 'fuzzed');
  const api = new ApiClient(fresh.stack.api, account.accessToken);
  known.trackIds = (await catalogTrackIds(api)).slice(0, 8);
  for (const name of ['a', 'b', 'c']) {
    const playlistId = (await api.post<{ id: string }>('/playlists', { name })).body.id;
    known.playlistIds.push(playlistId);
    known.entryIds.push(...(await appendEntries(api, playlistId, known.trackIds)));
  }
  // A separate auth server with cheap hashing and no per-IP limits, so random bodies reach the validators.
  authDir = await mkdtemp(join(tmpdir(), 'alktunes-validators-'));
  auth = await startAuthServer({
    host: '127.0.0.1',
    port: 0,
    audience: apiAudience,
    databaseUrl: `sqlite:${join(authDir, 'auth.sqlite')}`,
    keysFile: join(authDir, 'keys.json'),
    argon2: TEST_ARGON2,
    rateLimits: Object.fromEntries(Object.keys(DEFAULT_RATE_LIMITS).map((name) => [name, { limit: 1e6, windowSeconds: 1 }])),
    revocations: new MemoryRevocations(),
    log: () => {},
  });
});
afterAll(async () => {
  await auth?.close();
  await fresh?.stop();
  if (authDir) await rm(authDir, { recursive: true, force: true });
});

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Sends bytes exactly as given (fetch would normalize the path and the body). */
function send(base: string, { method, path, headers, body }: Sent): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} hung`)));
    req.on('error', reject);
    req.end(body);
  });
}

const nasty = [
  '',
  '%',
  '%zz',
  '%00',
  '..',
  '%2e%2e',
  '%2F',
  'null',
  '0',
  '-1',
  '1e309',
  '%20',
  'a'.repeat(2048),
  '%F0%9F%8E%B5',
  '__proto__',
  'constructor',
];
const pathParam = () =>
  fc.oneof(
    fc.constantFrom(...known.playlistIds, ...known.entryIds, ...known.trackIds),
    fc.constantFrom(...nasty),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  );
const queryKeys = ['limit', 'cursor', 'q', 'field', 'position', 'before', 'artistId', 'albumId', 'genre', 'offset', 'sort', '__proto__'];
const queryArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 8 })),
      fc.oneof(
        fc.constantFrom('0', '-1', '1', '200', '201', '1e3', 'NaN', 'track', 'album', 'artist', '', 'eyJ9', 'eyJzayI6MX0'),
        fc.string({ unit: 'binary', maxLength: 60 }),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs.length
      ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${Math.random() < 0.1 ? '%' : encodeURIComponent(v)}`).join('&')}`
      : '',
  );
/** JSON shaped like real bodies often enough to get past the first check. */
const shapedJson = () =>
  fc.oneof(
    fc.record(
      { name: fc.oneof(fc.string(), fc.jsonValue()), description: fc.jsonValue(), version: fc.oneof(fc.integer(), fc.jsonValue()) },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        trackIds: fc.oneof(fc.array(fc.constantFrom(...known.trackIds, 'nope', ''), { maxLength: 120 }), fc.jsonValue()),
        position: fc.oneof(
          fc.constantFrom('start', 'end', null),
          fc.record({ before: fc.oneof(fc.constantFrom(...known.entryIds), fc.jsonValue()) }),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { before: fc.oneof(fc.constantFrom(...known.entryIds, null), fc.jsonValue()), version: fc.jsonValue() },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.jsonValue()),
        password: fc.oneof(fc.string(), fc.jsonValue()),
        name: fc.jsonValue(),
        refreshToken: fc.oneof(fc.string(), fc.jsonValue()),
        currentPassword: fc.jsonValue(),
        newPassword: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
  );
const bodyArbitrary = () =>
  fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    shapedJson().map((v) => Buffer.from(JSON.stringify(v))),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
  );
const contentTypeArbitrary = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/vnd.api+json',
  'multipart/form-data; boundary=x',
  '',
);

/** Every failing answer, with the request that caused it, for one readable assertion. */
function expectNoServerErrors(failures: { status: number; sent: Omit<Sent, 'body'> & { body?: string } }[]) {
  expect(failures, JSON.stringify(failures.slice(0, 5), null, 1)).toEqual([]);
}

describe('request validators (property)', () => {
  /** Random requests to every API route; returns the statuses seen and the requests that broke `allowed`. */
  async function fuzzGateway(numRuns: number, allowed: (status: number) => boolean) {
    const failures: { status: number; sent: Omit<Sent, 'body'> & { body?: string } }[] = [];
    const statuses = new Map<number, number>();
    const routeArbitrary = fc.constantFrom(...apiRoutes.map((r) => r.routeKey));
    await fc.assert(
      fc.asyncProperty(
        routeArbitrary,
        pathParam(),
        pathParam(),
        queryArbitrary,
        bodyArbitrary(),
        contentTypeArbitrary,
        fc.boolean(),
        async (routeKey, id, entryId, query, body, type, badToken) => {
          const [method, template] = routeKey.split(' ') as [string, string];
          const path = template.replace('{id}', id).replace('{entryId}', entryId) + query;
          const headers: Record<string, string> = {
            authorization: `Bearer ${badToken && Math.random() < 0.2 ? 'x.y.z' : account.accessToken}`,
          };
          if (type !== undefined) headers['content-type'] = type;
          const sent = { method, path, headers, body };
          const status = await send(fresh.stack.api, sent);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (!allowed(status)) failures.push({ status, sent: { ...sent, body: body?.toString('base64') } });
        },
      ),
      { numRuns },
    );
    return { failures, statuses };
  }

  it('never answer 5xx to random input on any API route through the gateway', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    const { failures, statuses } = await fuzzGateway(1500, (status) => status > 0 && status < 500);
    expectNoServerErrors(failures);
    // The input reaches the handlers, not just the gateway's checks: successes and validation errors both occur.
    expect(
      [...statuses.keys()].some((s) => s >= 200 && s < 300),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });

  it('answer only 503 (or a 4xx decided before storage) to random input while DynamoDB is down', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    let result: Awaited<ReturnType<typeof fuzzGateway>> | undefined;
    await fresh.stack.restart('dynamodb', async () => {
      result = await fuzzGateway(150, (status) => (status > 0 && status < 500) || status === 503);
    });
    expectNoServerErrors(result!.failures);
    expect(result!.statuses.get(503) ?? 0).toBeGreaterThan(0);
  });

  it('never answer 5xx to random input on the auth server’s POST routes', async () => {
    const failures: { status: number; sent: Omit<Sent, 'body'> & { body?: string } }[] = [];
    const routes = ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout', '/auth/password'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodyArbitrary(), contentTypeArbitrary, async (path, body, type) => {
        const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
        const sent = { method: 'POST', path, headers, body };
        const status = await send(auth.url, sent);
        if (status >= 500 || status === 0) failures.push({ status, sent: { ...sent, body: body?.toString('base64') } });
      }),
      { numRuns: 800 },
    );
    expectNoServerErrors(failures);
  });
});
