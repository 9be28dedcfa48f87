/*
 * Revocation and deletion against the running local stack: the auth server writes revocations
 * to DynamoDB, the API functions behind the local gateway read them, and the account purge
 * erases what a deleted account stored. The API's revocation cache is shortened to one second
 * here (30 s deployed), so "refused within the window" takes a second to show.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { DynamoPurgeQueue } from '../../backend/adapters/dynamodb/revocations.dynamodb';
import { createS3Client } from '../../backend/adapters/s3/client';
import { purgeDeletedAccounts } from '../../backend/api/accounts/purge-accounts';
import { userDataStores } from '../../backend/api/accounts/user-data-stores';
import { loadApiConfig } from '../../backend/api/config';
import { apiRoutes } from '../../backend/api/routes';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../backend/auth/access-tokens';
import { authClient, newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { ApiClient, catalogTrackIds, expectStatus } from '../support/api-client';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const CACHE_SECONDS = 1;

let fresh: FreshStack;
let clients: ReturnType<typeof createDynamoClients>;
let s3: ReturnType<typeof createS3Client>;
let trackIds: string[];

beforeAll(async () => {
  fresh = await startFreshStack('revocation', { ...sharedDynamoDb('revocation'), revocationCacheSeconds: CACHE_SECONDS });
  const { stack } = fresh;
  clients = createDynamoClients({ region: stack.region, endpoint: stack.dynamodb });
  s3 = createS3Client({ region: stack.region, endpoint: stack.s3 });
  const someone = await signIn();
  trackIds = await catalogTrackIds(new ApiClient(stack.api, someone.accessToken));
});
afterAll(async () => {
  clients?.client.destroy();
  s3?.destroy();
  await fresh?.stop();
});

const auth = () => authClient(fresh.stack.auth);
const api = (accessToken: string) => new ApiClient(fresh.stack.api, accessToken);

/** A new account, signed in: its tokens and password. */
async function signIn() {
  const account = newAccount();
  const session = await registerAndSignIn(auth(), account);
  return { ...session, password: account.password, email: account.email };
}

/** Reads and writes through the API with `accessToken`: the status of a GET and of a POST. */
async function apiAccess(accessToken: string) {
  const read = await api(accessToken).get('/playlists');
  const write = await api(accessToken).post('/playlists', { name: 'after the end' });
  return { read: read.status, write: write.status };
}

/** Waits out the API's revocation cache, as a client would wait at most this long. */
const afterCacheWindow = () => new Promise((resolve) => setTimeout(resolve, CACHE_SECONDS * 1000 + 200));

/**
 * Every route of the API (the table the local gateway serves), its path parameters filled in
 * and writes with an empty body: the revocation check comes before anything looks at either.
 */
const everyRoute = apiRoutes.map(({ routeKey }) => {
  const [method, template] = routeKey.split(' ') as [string, string];
  return {
    routeKey,
    method,
    path: template.replace(/\{\w+\}/g, 'unknown1'),
    body: method === 'POST' || method === 'PATCH' ? {} : undefined,
  };
});

/** Each route's status and body with `accessToken`, by route key. */
async function answersOnEveryRoute(accessToken: string) {
  const answers = await Promise.all(
    everyRoute.map(async (route) => [route.routeKey, await api(accessToken).request(route.method, route.path, route.body)] as const),
  );
  return new Map(answers);
}

/** Before: no route refuses the token, so a 401 after can only be the revocation. */
async function expectAcceptedOnEveryRoute(accessToken: string) {
  const refusing = [...(await answersOnEveryRoute(accessToken))]
    .filter(([, answer]) => answer.status === 401)
    .map(([routeKey]) => routeKey);
  expect(refusing).toEqual([]);
}

async function expectRefusedOnEveryRoute(accessToken: string) {
  const answers = await answersOnEveryRoute(accessToken);
  const revoked = { status: 401, body: { error: { code: 'unauthorized', message: 'Access token revoked; sign in again' } } };
  expect(Object.fromEntries([...answers].map(([routeKey, { status, body }]) => [routeKey, { status, body }]))).toEqual(
    Object.fromEntries(everyRoute.map(({ routeKey }) => [routeKey, revoked])),
  );
}

describe('revoked access tokens at the API', () => {
  it('refuses the access token of a logged-out session within the cache window, and the auth server at once', async () => {
    const session = await signIn();
    // Every function once before: each has the session in its cache when the logout happens.
    expect(await apiAccess(session.accessToken)).toMatchObject({ read: 200, write: 201 });
    await expectAcceptedOnEveryRoute(session.accessToken);

    expect((await auth().post('/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);
    expect((await auth().get('/auth/me', session.accessToken)).status).toBe(401);
    await afterCacheWindow();
    await expectRefusedOnEveryRoute(session.accessToken);
  });

  it("refuses the other sessions' tokens after a password change, and keeps the session that changed it", async () => {
    const first = await signIn();
    const second = (await auth().post('/auth/login', { email: first.email, password: first.password })).body as { accessToken: string };
    expect((await apiAccess(second.accessToken)).read).toBe(200);

    const changed = await auth().post(
      '/auth/password',
      { currentPassword: first.password, newPassword: 'a new and longer passphrase' },
      first.accessToken,
    );
    expect(changed.status).toBe(204);
    expect((await auth().get('/auth/me', second.accessToken)).status).toBe(401);
    await afterCacheWindow();
    await expectRefusedOnEveryRoute(second.accessToken);
    expect(await apiAccess(first.accessToken)).toMatchObject({ read: 200, write: 201 });
    await expectAcceptedOnEveryRoute(first.accessToken);
  });

  it('refuses the access token of a deleted account within the cache window', async () => {
    const session = await signIn();
    expect((await apiAccess(session.accessToken)).write).toBe(201);

    expect((await auth().delete('/auth/me', { password: session.password }, session.accessToken)).status).toBe(204);
    await afterCacheWindow();
    await expectRefusedOnEveryRoute(session.accessToken);
  });
});

describe('deleting an account', () => {
  /** Every item of every table of the stack that mentions one of `needles`, as `<table> <item>` lines. */
  async function itemsMentioning(...needles: string[]) {
    const found: string[] = [];
    for (const [id, table] of Object.entries(fresh.stack.tables)) {
      let start: Record<string, never> | undefined;
      do {
        const page = await clients.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
          const text = JSON.stringify(item);
          if (needles.some((needle) => text.includes(needle))) found.push(`${id} ${text}`);
        }
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
    }
    return found;
  }

  /** Every key in the media bucket. */
  async function objectKeys() {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: fresh.stack.bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }

  it('leaves nothing of it in DynamoDB or S3 once the purge has run', async () => {
    const objectsBefore = await objectKeys();
    const session = await signIn();
    const userId = session.user.id;
    const playlistIds: string[] = [];
    for (const name of ['Morning', 'Evening']) {
      const playlist = expectStatus(await api(session.accessToken).post<{ id: string }>('/playlists', { name }), 201, 'create playlist');
      playlistIds.push(playlist.id);
      expectStatus(
        await api(session.accessToken).post(`/playlists/${playlist.id}/entries`, { trackIds: trackIds.slice(0, 5) }),
        201,
        'add entries',
      );
    }
    expect(await itemsMentioning(userId, ...playlistIds)).not.toEqual([]);

    expect((await auth().delete('/auth/me', { password: session.password }, session.accessToken)).status).toBe(204);
    // Other tests here deleted accounts too: the run covers them all, none settled yet.
    const firstRun = await fresh.stack.purgeAccounts();
    expect(firstRun.completed).toBe(0);
    expect(firstRun.erased.playlists).toBeGreaterThanOrEqual(2 + 2 * 5);

    // Until no token of the account can be accepted, only its revocation and purge request remain.
    const left = await itemsMentioning(userId, ...playlistIds);
    expect(left).toHaveLength(2);
    for (const line of left) expect(line).toMatch(/^revocations /);

    // The run after the tokens have expired (its clock moved on) clears those too.
    const config = loadApiConfig({
      AWS_REGION: fresh.stack.region,
      AWS_ENDPOINT_URL_DYNAMODB: fresh.stack.dynamodb,
      PLAYLISTS_TABLE: fresh.stack.tables.playlists,
      TRACKS_TABLE: fresh.stack.tables.tracks,
      HOME_TABLE: fresh.stack.tables.home,
      REVOCATIONS_TABLE: fresh.stack.tables.revocations,
      LISTENING_TABLE: fresh.stack.tables.listening,
      MEDIA_BUCKET: fresh.stack.bucket,
    });
    const later = () => new Date(Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 120) * 1000);
    const settled = await purgeDeletedAccounts({
      queue: new DynamoPurgeQueue(clients.client, config.tables.revocations),
      stores: userDataStores(config, clients.doc),
      now: later,
    });
    expect(settled.completed).toBe(settled.accounts);
    expect(await itemsMentioning(userId, ...playlistIds)).toEqual([]);

    // The API stores nothing per user in the bucket: the account added no object and left none.
    const objectsAfter = await objectKeys();
    expect(objectsAfter).toEqual(objectsBefore);
    expect(objectsAfter.filter((key) => key.includes(userId))).toEqual([]);
  });
});
