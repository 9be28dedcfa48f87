/*
 * Faults in a running local stack: the auth server restarted under load, DynamoDB (DynamoDB Local,
 * its own process here, as the test stops it) down and back, and clients that hang up in the
 * middle of a write.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../backend/lambda-runtime/logger';
import { allEntries, ApiClient, catalogTrackIds, signUp, type Account, type EntryView, type Page } from '../support/api-client';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { countClientRequests, dynamoOperation, settled } from '../support/request-counter';

let fresh: FreshStack;
let account: Account;
let api: ApiClient;
let trackIds: string[];

beforeAll(async () => {
  fresh = await startFreshStack('faults');
  account = await signUp(fresh.stack.auth, 'faulty');
  api = new ApiClient(fresh.stack.api, account.accessToken);
  trackIds = await catalogTrackIds(api);
});
afterAll(() => fresh?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createPlaylist(name: string): Promise<string> {
  const response = await api.post<{ id: string }>('/playlists', { name });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** Retries a request on connection errors and 5xx answers, as the extension's client does; gives up after `ms`. */
async function retrying<T>(
  call: () => Promise<{ status: number; body: T }>,
  ms = 20_000,
): Promise<{ status: number; body: T; attempts: number }> {
  const deadline = Date.now() + ms;
  for (let attempts = 1; ; attempts++) {
    try {
      const response = await call();
      if (response.status < 500 || Date.now() > deadline) return { ...response, attempts };
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(100);
  }
}

async function entryCount(playlistId: string): Promise<number> {
  return (await api.get<{ entryCount: number }>(`/playlists/${playlistId}`)).body.entryCount;
}

describe('faults', () => {
  it('(a) survives an auth server restart under load: clients recover and no acknowledged write is lost', async () => {
    const { stack } = fresh;
    const auth = new ApiClient(stack.auth);
    const signedIn = await auth.post<{ refreshToken: string }>('/auth/login', { email: account.email, password: account.password });
    expect(signedIn.status).toBe(200);
    let refreshToken = signedIn.body.refreshToken;
    const playlists = await Promise.all([1, 2, 3, 4].map((n) => createPlaylist(`Under restart ${n}`)));
    const acknowledged = new Map<string, string[]>(playlists.map((id) => [id, []]));

    let running = true;
    let retriedRefreshes = 0;
    const authFailures: string[] = [];
    // Four writers append without pause; API calls never need the auth server (cached JWKS).
    const writers = playlists.map(async (playlistId, n) => {
      for (let i = 0; running; i++) {
        const response = await api.post<Page<EntryView>>(`/playlists/${playlistId}/entries`, {
          trackIds: [trackIds[(i + n) % trackIds.length]!],
        });
        expect(response.status).toBe(201);
        acknowledged.get(playlistId)!.push(...response.body.items.map((e) => e.id));
      }
    });
    // One session refreshes its tokens over and over, retrying through the outage.
    const refresher = (async () => {
      while (running) {
        const response = await retrying(() => auth.post<{ refreshToken: string }>('/auth/refresh', { refreshToken }));
        if (response.attempts > 1) retriedRefreshes++;
        if (response.status !== 200) authFailures.push(`refresh ${response.status}`);
        else refreshToken = response.body.refreshToken;
        await sleep(50);
      }
    })();

    await sleep(400);
    // An account registered (acknowledged) just before the restart must still sign in after it.
    const registered = await signUp(stack.auth, 'just-before');
    await stack.restart('auth', async () => {
      const down = await auth.get('/health').then(
        (r) => r.status,
        () => 'refused',
      );
      expect(down).toBe('refused');
      await sleep(700);
    });
    await sleep(500);
    running = false;
    await Promise.all([...writers, refresher]);

    expect(authFailures).toEqual([]);
    expect(retriedRefreshes, 'the refreshing client never met the outage').toBeGreaterThan(0);
    const login = await retrying(() =>
      auth.post<{ accessToken: string }>('/auth/login', { email: registered.email, password: registered.password }),
    );
    expect(login.status).toBe(200);
    // Tokens issued by the restarted server still pass the gateway (same keys), and old ones too.
    expect((await api.as(login.body.accessToken).get('/playlists')).status).toBe(200);
    expect((await api.get('/playlists')).status).toBe(200);
    for (const [playlistId, ids] of acknowledged) {
      expect(ids.length).toBeGreaterThan(0);
      expect((await allEntries(api, playlistId)).map((e) => e.id)).toEqual(ids);
      expect(await entryCount(playlistId)).toBe(ids.length);
    }
  });

  it('(b) answers 503 (never 500, never a hang) while DynamoDB is down, and recovers after', async () => {
    const { stack } = fresh;
    vi.spyOn(logger, 'error').mockImplementation(() => {}); // each 503 is logged once by the handlers
    const playlistId = await createPlaylist('Through an outage');
    const [firstTrack] = trackIds;
    const probes: [string, string, unknown?][] = [
      ['GET', '/playlists'],
      ['POST', '/playlists', { name: 'During the outage' }],
      ['GET', `/playlists/${playlistId}`],
      ['GET', `/playlists/${playlistId}/entries?limit=50`],
      ['POST', `/playlists/${playlistId}/entries`, { trackIds: [firstTrack] }],
      ['GET', '/home'],
      ['GET', '/albums'],
      ['GET', `/tracks/${firstTrack}`],
      ['GET', `/tracks/${firstTrack}/stream`],
      ['GET', '/health'],
    ];
    const run = async () =>
      Promise.all(
        probes.map(async ([method, path, body]) => {
          const started = performance.now();
          const response = await api.request(method, path, body);
          return { route: `${method} ${path.split('?')[0]}`, status: response.status, ms: performance.now() - started };
        }),
      );

    let during: Awaited<ReturnType<typeof run>> = [];
    await stack.restart('dynamodb', async () => {
      during = await run();
    });
    for (const answer of during) {
      expect({ route: answer.route, status: answer.status }).toEqual({ route: answer.route, status: 503 });
      expect(answer.ms).toBeLessThan(10_000);
    }

    const after = await Promise.all(probes.map(([method, path, body]) => retrying(() => api.request(method, path, body), 5_000)));
    expect(after.map((r) => r.status).every((s) => s < 300)).toBe(true);
    // The outage wrote nothing half-way: the playlist holds just the entry added after it.
    expect(await entryCount(playlistId)).toBe((await allEntries(api, playlistId)).length);
  });

  it('(c) leaves no half-written playlist when clients hang up mid-request', async () => {
    const { stack } = fresh;
    const dynamo = countClientRequests(stack.dynamodb, dynamoOperation);
    const body = JSON.stringify({ trackIds: Array.from({ length: 100 }, (_, i) => trackIds[i % trackIds.length]) });
    const target = new URL(stack.api);
    const cases = await Promise.all(Array.from({ length: 16 }, async (_, n) => ({ playlistId: await createPlaylist(`Hang-up ${n}`), n })));
    try {
      // Hang up at different moments: half-way through the body, right after it, or a little later.
      await Promise.all(
        cases.map(
          ({ playlistId, n }) =>
            new Promise<void>((resolve) => {
              const req = httpRequest({
                host: target.hostname,
                port: target.port,
                method: 'POST',
                path: `/playlists/${playlistId}/entries`,
                headers: {
                  authorization: `Bearer ${account.accessToken}`,
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                },
              });
              req.on('error', () => resolve());
              req.on('close', () => resolve());
              if (n % 4 === 0) {
                req.write(body.slice(0, body.length / 2));
                setTimeout(() => req.destroy(), 20);
                return;
              }
              req.end(body);
              setTimeout(() => req.destroy(), (n % 4) * 4 - 4);
            }),
        ),
      );
      await settled(dynamo, 500);
    } finally {
      dynamo.stop();
    }

    for (const { playlistId, n } of cases) {
      const entries = await allEntries(api, playlistId);
      expect([0, 100], `case ${n}`).toContain(entries.length);
      if (n % 4 === 0) expect(entries, `case ${n}: a half-sent body was written`).toHaveLength(0);
      expect(await entryCount(playlistId)).toBe(entries.length);
      // The playlist stays usable.
      const added = await api.post<Page<EntryView>>(`/playlists/${playlistId}/entries`, { trackIds: [trackIds[0]] });
      expect(added.status).toBe(201);
      expect(await entryCount(playlistId)).toBe(entries.length + 1);
    }
  });
});
