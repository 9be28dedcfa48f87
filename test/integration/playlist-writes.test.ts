/*
 * Playlist writes that fail half way: a write is cut off (before DynamoDB sees it, or after it
 * was applied and the answer was lost) at every point of each route, on DynamoDB Local. Whatever
 * failed, the playlist's count equals its entries, a retry with the same Idempotency-Key neither
 * duplicates nor loses anything, and a delete cut short is finished by the scheduled sweep.
 */
import { BatchWriteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPurgeFunction } from '../../backend/api/accounts/purge-function';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { DynamoPlaylistRepository } from '../../backend/adapters/dynamodb/playlist-repository.dynamodb';
import { dispatch } from '../../backend/api/http';
import { urlSignerFor } from '../../backend/api/media-url-signer';
import { playlistRoutes } from '../../backend/api/playlists/handlers';
import type { ApiHandler } from '../../backend/api/types';
import type { Playlist } from '../../backend/domain/playlists';
import { logger } from '../../backend/lambda-runtime/logger';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';
import { faultyDynamoClients, type FaultMode } from '../support/dynamodb-faults';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
type Entry = { id: string; trackId: string; track: { id: string } | null };
type Faulty = ReturnType<typeof faultyDynamoClients>;

let stack: Stack;
let faulty: Faulty;
let clock = Date.now();
let api: ApiHandler;
const tracks = Array.from({ length: 12 }, (_, i) => makeTrack(5000 + i));
const trackIds = tracks.map((t) => t.id);

beforeAll(async () => {
  // The injected faults are logged as the 503s they become; the assertions say what matters.
  vi.spyOn(logger, 'error').mockImplementation(() => {});
  vi.spyOn(logger, 'warn').mockImplementation(() => {});
  stack = await startApiStack();
  await stack.catalog.saveTracks(tracks);
  faulty = faultyDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
  // The playlists function with a DynamoDB client that can be cut off, and a clock the tests move.
  api = dispatch(
    playlistRoutes({
      playlists: new DynamoPlaylistRepository(faulty.doc, stack.config.tables.playlists),
      catalog: stack.catalog,
      media: urlSignerFor(stack.config),
      urlTtlSeconds: 600,
      now: () => new Date(clock),
    }),
    async () => {},
  );
});
afterAll(async () => {
  faulty?.client.destroy();
  await stack?.stop();
});

const call = (sub: string, routeKey: string, options: EventOptions = {}) => api(apiEvent(routeKey, { sub, ...options }));
const withKey = (key: string, options: EventOptions): EventOptions => ({ ...options, headers: { 'idempotency-key': key } });

async function createPlaylist(sub: string, name = 'Faulty'): Promise<string> {
  const res = await call(sub, 'POST /playlists', { body: { name } });
  expect(res.statusCode).toBe(201);
  return bodyOf<Playlist>(res).id;
}

async function addEntries(sub: string, id: string, ids: string[]): Promise<Entry[]> {
  const res = await call(sub, 'POST /playlists/{id}/entries', { pathParameters: { id }, body: { trackIds: ids } });
  expect(res.statusCode).toBe(201);
  return bodyOf<{ items: Entry[] }>(res).items;
}

async function listed(sub: string, id: string): Promise<Entry[]> {
  const res = await call(sub, 'GET /playlists/{id}/entries', { pathParameters: { id }, query: { limit: '200' } });
  expect(res.statusCode).toBe(200);
  return bodyOf<{ items: Entry[] }>(res).items;
}

const entryCount = async (sub: string, id: string) =>
  bodyOf<Playlist>(await call(sub, 'GET /playlists/{id}', { pathParameters: { id } })).entryCount;

/** The count agrees with the entries, and no entry is listed twice. */
async function expectConsistent(sub: string, id: string): Promise<Entry[]> {
  const entries = await listed(sub, id);
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  expect(await entryCount(sub, id)).toBe(entries.length);
  return entries;
}

/** Items still stored under a partition key, read straight from the table. */
async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const out = await faulty.doc.send(
    new QueryCommand({
      TableName: stack.config.tables.playlists,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return out.Items ?? [];
}

/** Sets the ranks of a playlist's entries straight in the table, `ranks[i]` for `entryIds[i]` (whole items, in batches). */
async function setRanks(id: string, entryIds: readonly string[], ranks: readonly string[]): Promise<void> {
  const rankOf = new Map(entryIds.map((entryId, i) => [entryId, ranks[i]]));
  const items = (await partition(`playlist#${id}`)).filter((item) => rankOf.has(item.id as string));
  for (let i = 0; i < items.length; i += 25) {
    const puts = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: { ...item, rank: rankOf.get(item.id as string) } } }));
    const out = await faulty.doc.send(new BatchWriteCommand({ RequestItems: { [stack.config.tables.playlists]: puts } }));
    expect(out.UnprocessedItems ?? {}).toEqual({});
  }
}

/**
 * Runs `write` with its 1st, 2nd, 3rd … write cut off (in both modes) until one run never
 * reaches the fault; `check` sees the state after each cut. Returns how many writes a clean run takes.
 */
async function cutEveryWrite(
  write: (run: { mode: FaultMode; failAt: number }) => Promise<unknown>,
  check: (run: { mode: FaultMode; failAt: number; status: number | undefined }) => Promise<void>,
): Promise<number> {
  let clean = 0;
  for (const mode of ['before', 'after'] as const) {
    for (let failAt = 1; ; failAt++) {
      faulty.failWrite(failAt, mode);
      const result = (await write({ mode, failAt })) as { statusCode?: number } | undefined;
      const reached = faulty.writes >= failAt;
      faulty.heal();
      await check({ mode, failAt, status: result?.statusCode });
      if (!reached) {
        clean = failAt - 1;
        break;
      }
    }
  }
  return clean;
}

describe('playlist writes cut off half way', () => {
  it('keeps the count equal to the entries whichever write of an add or a remove fails', async () => {
    const sub = 'cutter';
    const id = await createPlaylist(sub);
    await addEntries(sub, id, trackIds.slice(0, 3));

    const addWrites = await cutEveryWrite(
      () => call(sub, 'POST /playlists/{id}/entries', { pathParameters: { id }, body: { trackIds: trackIds.slice(3, 6) } }),
      async ({ status }) => {
        expect([201, 503]).toContain(status);
        await expectConsistent(sub, id);
      },
    );
    expect(addWrites).toBeGreaterThan(0);

    await cutEveryWrite(
      async () => {
        const [first] = await listed(sub, id);
        return call(sub, 'DELETE /playlists/{id}/entries/{entryId}', { pathParameters: { id, entryId: first!.id } });
      },
      async ({ status }) => {
        expect([204, 503]).toContain(status);
        await expectConsistent(sub, id);
      },
    );
  });

  it('leaves a move that needs a rebalance either done completely or not at all', async () => {
    const sub = 'rebalancer';
    const id = await createPlaylist(sub);
    const entries = await addEntries(sub, id, trackIds.slice(0, 5));
    // Two neighbours with no short key left between them: a move into that gap rewrites the ranks around it.
    const worn = ['Zz', `a0${'0'.repeat(61)}1`, `a0${'0'.repeat(61)}2`, 'a1', 'a2'];
    for (const [i, entry] of entries.entries()) {
      await faulty.doc.send(
        new UpdateCommand({
          TableName: stack.config.tables.playlists,
          Key: { pk: `playlist#${id}`, sk: `entry#${entry.id}` },
          UpdateExpression: 'SET #rank = :rank',
          ExpressionAttributeNames: { '#rank': 'rank' },
          ExpressionAttributeValues: { ':rank': worn[i] },
        }),
      );
    }
    const ranks = async () => Object.fromEntries((await partition(`playlist#${id}`)).map((item) => [item.id, item.rank]));
    const original = entries.map((e) => e.id);
    const moving = original[4]!;
    const target = original[2]!;
    const moved = [original[0], original[1], moving, original[2], original[3]];

    let before = await ranks();
    await cutEveryWrite(
      () => call(sub, 'PATCH /playlists/{id}/entries/{entryId}', { pathParameters: { id, entryId: moving }, body: { before: target } }),
      async ({ status }) => {
        const order = (await listed(sub, id)).map((e) => e.id);
        if (order.join() === moved.join()) {
          // Done: put it back (a plain move, no rebalance) for the next cut.
          const back = await call(sub, 'PATCH /playlists/{id}/entries/{entryId}', {
            pathParameters: { id, entryId: moving },
            body: { before: null },
          });
          expect(back.statusCode).toBe(200);
        } else {
          expect(status).toBe(503);
          expect(order).toEqual(original);
          // Not done: not one entry was rewritten.
          expect(await ranks()).toEqual(before);
        }
        // Worn again, so every run has to rebalance.
        for (const [i, entryId] of original.entries()) {
          await faulty.doc.send(
            new UpdateCommand({
              TableName: stack.config.tables.playlists,
              Key: { pk: `playlist#${id}`, sk: `entry#${entryId}` },
              UpdateExpression: 'SET #rank = :rank',
              ExpressionAttributeNames: { '#rank': 'rank' },
              ExpressionAttributeValues: { ':rank': worn[i] },
            }),
          );
        }
        before = await ranks();
      },
    );
  });

  it('keeps a moved entry in its place, whichever write fails, while a rebalance too wide for one transaction is applied', async () => {
    const sub = 'wide-rebalancer';
    const id = await createPlaylist(sub);
    const wanted = Array.from({ length: 110 }, (_, i) => trackIds[i % trackIds.length]!);
    const original = [...(await addEntries(sub, id, wanted.slice(0, 100))), ...(await addEntries(sub, id, wanted.slice(100)))].map(
      (e) => e.id,
    );
    // Every entry packed into one worn spot: no short key fits anywhere, and only a window of all
    // 110 entries rebalances to short keys, more rewrites than one transaction takes.
    const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const worn = original.map((_, i) => `a0${'0'.repeat(58)}${digits[1 + Math.floor(i / 61)]}${digits[1 + (i % 61)]}`);
    await setRanks(id, original, worn);
    const moving = original[90]!;
    const target = original[40]!;
    const moved = [...original.slice(0, 40), moving, ...original.slice(40).filter((e) => e !== moving)];

    const writes = await cutEveryWrite(
      () => call(sub, 'PATCH /playlists/{id}/entries/{entryId}', { pathParameters: { id, entryId: moving }, body: { before: target } }),
      async ({ status }) => {
        const order = (await listed(sub, id)).map((e) => e.id);
        if (order.join() !== moved.join()) {
          expect(status).toBe(503);
          // Cut off before the move itself: the moving entry is where it was, among entries still in order.
          expect(order).toEqual(original);
        }
        await setRanks(id, original, worn);
      },
    );
    // The rewrites took several transactions, and the move one more.
    expect(writes).toBeGreaterThanOrEqual(3);
  });

  it('leaves no entry behind when an add lands while the account is erased', async () => {
    const sub = 'erased';
    const id = await createPlaylist(sub);
    await addEntries(sub, id, trackIds.slice(0, 2));
    const hooked = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
    let landed: number | undefined;
    // The add commits just before the batch that deletes the playlist item is sent.
    hooked.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        const deletesPlaylist =
          context.commandName === 'BatchWriteItemCommand' &&
          input.includes('DeleteRequest') &&
          input.includes(`user#${sub}`) &&
          input.includes(`playlist#${id}`);
        if (deletesPlaylist && landed === undefined) {
          landed = (await call(sub, 'POST /playlists/{id}/entries', { pathParameters: { id }, body: { trackIds: trackIds.slice(2, 5) } }))
            .statusCode;
        }
        return next(args);
      },
      { step: 'initialize', name: 'addInFlight' },
    );
    try {
      await new DynamoPlaylistRepository(hooked.doc, stack.config.tables.playlists).eraseUser(sub);
    } finally {
      hooked.client.destroy();
    }
    expect(landed).toBe(201);
    expect(await partition(`user#${sub}`)).toEqual([]);
    // Found by the erase itself, not left for a sweep.
    expect(await partition(`playlist#${id}`)).toEqual([]);
    expect((await partition('sweep')).filter((item) => String(item.sk).includes(id))).toEqual([]);
  });

  it('finishes a playlist delete that was cut short after the playlist went, in the scheduled sweep', async () => {
    const sub = 'deleter';
    const id = await createPlaylist(sub);
    const [kept] = await addEntries(sub, id, trackIds.slice(0, 4));
    const repository = new DynamoPlaylistRepository(faulty.doc, stack.config.tables.playlists);

    faulty.failWrite(2);
    const cut = await call(sub, 'DELETE /playlists/{id}', { pathParameters: { id } });
    faulty.heal();
    // Deleted for good once the playlist is gone; the entries left behind are the sweep's.
    expect(cut.statusCode).toBe(204);
    // Gone for readers at once, though its entries are still stored.
    expect((await call(sub, 'GET /playlists/{id}', { pathParameters: { id } })).statusCode).toBe(404);
    expect((await call(sub, 'GET /playlists/{id}/entries', { pathParameters: { id } })).statusCode).toBe(404);
    expect(await partition(`playlist#${id}`)).toHaveLength(4);

    // Removing an entry of the deleted playlist is a 404 for the playlist, and changes nothing.
    await expect(repository.removeEntry(sub, id, kept!.id, new Date(clock).toISOString())).rejects.toMatchObject({
      code: 'not_found',
      message: 'Playlist not found',
    });
    expect(await partition(`playlist#${id}`)).toHaveLength(4);

    const purge = createPurgeFunction(stack.config);
    const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
    await purge({} as never);
    // A run that erased no account but finished left-over deletes says so.
    const logged = info.mock.calls.map(([, summary]) => summary as { accounts: number; erased: { playlists: number } });
    expect(logged).toEqual([expect.objectContaining({ accounts: 0 })]);
    expect(logged[0]!.erased.playlists).toBeGreaterThanOrEqual(5);
    expect(await partition(`playlist#${id}`)).toEqual([]);
    expect((await partition('sweep')).filter((item) => String(item.sk).includes(id))).toEqual([]);
  });
});

describe('Idempotency-Key', () => {
  it('creates a playlist once per key, answers a repeat as the original, and refuses another body with 422', async () => {
    const sub = 'creator';
    const first = await call(sub, 'POST /playlists', withKey('create-1', { body: { name: 'Once' } }));
    expect(first.statusCode).toBe(201);
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    const again = await call(sub, 'POST /playlists', withKey('create-1', { body: { name: '  Once ' } }));
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(bodyOf(again)).toEqual(bodyOf(first));

    const other = await call(sub, 'POST /playlists', withKey('create-1', { body: { name: 'Twice' } }));
    expect(other.statusCode).toBe(422);
    expect(bodyOf(other)).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    const list = bodyOf<{ items: Playlist[] }>(await call(sub, 'GET /playlists'));
    expect(list.items.map((p) => p.name)).toEqual(['Once']);

    // Keys belong to one user: another one's same key is a new request.
    const elsewhere = await call('someone-else', 'POST /playlists', withKey('create-1', { body: { name: 'Twice' } }));
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.headers?.['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    for (const key of ['', 'has space', 'ü', 'x'.repeat(256), 'tab\t']) {
      const res = await call('strict', 'POST /playlists', withKey(key, { body: { name: 'Nope' } }));
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(bodyOf(res)).toMatchObject({ error: { code: 'invalid_input', field: 'Idempotency-Key' } });
    }
    expect(bodyOf<{ items: unknown[] }>(await call('strict', 'GET /playlists')).items).toEqual([]);
    expect((await call('strict', 'POST /playlists', withKey('x'.repeat(255), { body: { name: 'Long key' } }))).statusCode).toBe(201);
  });

  it('adds entries once per key, however often and however concurrently the request is repeated', async () => {
    const sub = 'adder';
    const id = await createPlaylist(sub);
    const request = withKey('add-1', { pathParameters: { id }, body: { trackIds: trackIds.slice(0, 3) } });
    const first = await call(sub, 'POST /playlists/{id}/entries', request);
    expect(first.statusCode).toBe(201);
    const again = await call(sub, 'POST /playlists/{id}/entries', request);
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    const ids = (res: typeof first) => bodyOf<{ items: Entry[] }>(res).items.map((e) => e.id);
    expect(ids(again)).toEqual(ids(first));
    // Re-presented, with the tracks and their URLs signed afresh.
    expect(bodyOf<{ items: Entry[] }>(again).items.map((e) => e.track?.id)).toEqual(trackIds.slice(0, 3));

    const otherBody = await call(
      sub,
      'POST /playlists/{id}/entries',
      withKey('add-1', { pathParameters: { id }, body: { trackIds: trackIds.slice(0, 2) } }),
    );
    expect(otherBody.statusCode).toBe(422);
    const otherId = await createPlaylist(sub, 'Other');
    const otherPath = await call(
      sub,
      'POST /playlists/{id}/entries',
      withKey('add-1', { pathParameters: { id: otherId }, body: { trackIds: trackIds.slice(0, 3) } }),
    );
    expect(otherPath.statusCode).toBe(422);
    const otherRoute = await call(sub, 'POST /playlists', withKey('add-1', { body: { name: 'Other' } }));
    expect(bodyOf(otherRoute)).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(sub, 'POST /playlists/{id}/entries', withKey('add-2', { pathParameters: { id }, body: { trackIds: trackIds.slice(5, 9) } })),
      ),
    );
    expect(burst.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(burst.map((r) => ids(r).join()))).toHaveLength(1);
    const entries = await expectConsistent(sub, id);
    expect(entries).toHaveLength(7);
  });

  it('answers a multi-transaction add cut off half way with how far it got, and completes it on retry', async () => {
    const sub = 'bulk';
    const id = await createPlaylist(sub);
    const wanted = Array.from({ length: 100 }, (_, i) => trackIds[i % trackIds.length]!);
    const request = withKey('bulk-1', { pathParameters: { id }, body: { trackIds: wanted } });

    faulty.failWrite(2);
    const cut = await call(sub, 'POST /playlists/{id}/entries', request);
    faulty.heal();
    expect(cut.statusCode).toBe(503);
    const { added, requested } = bodyOf<{ error: { code: string; added: number; requested: number } }>(cut).error;
    expect(requested).toBe(100);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(100);
    const prefix = await expectConsistent(sub, id);
    expect(prefix).toHaveLength(added);

    const retry = await call(sub, 'POST /playlists/{id}/entries', request);
    expect(retry.statusCode).toBe(201);
    const items = bodyOf<{ items: Entry[] }>(retry).items;
    expect(items.map((e) => e.trackId)).toEqual(wanted);
    expect(items.slice(0, added).map((e) => e.id)).toEqual(prefix.map((e) => e.id));
    const all = await expectConsistent(sub, id);
    expect(all.map((e) => e.id)).toEqual(items.map((e) => e.id));

    // Cut off at every point, with a fresh key and playlist each time: the retry ends with exactly one copy.
    let target = await createPlaylist(sub, 'Bulk target');
    await cutEveryWrite(
      ({ mode, failAt }) =>
        call(
          sub,
          'POST /playlists/{id}/entries',
          withKey(`bulk-${mode}-${failAt}`, { pathParameters: { id: target }, body: { trackIds: wanted } }),
        ),
      async ({ mode, failAt, status }) => {
        if (status !== 201) {
          expect(status).toBe(503);
          const retried = await call(
            sub,
            'POST /playlists/{id}/entries',
            withKey(`bulk-${mode}-${failAt}`, { pathParameters: { id: target }, body: { trackIds: wanted } }),
          );
          expect(retried.statusCode).toBe(201);
        }
        expect((await expectConsistent(sub, target)).map((e) => e.trackId)).toEqual(wanted);
        target = await createPlaylist(sub, 'Bulk target');
      },
    );
  });

  it('lets two retries that resume the same cut-off add at once finish it exactly once', async () => {
    const sub = 'resumers';
    const id = await createPlaylist(sub);
    const wanted = Array.from({ length: 100 }, (_, i) => trackIds[(i * 5) % trackIds.length]!);
    const request = withKey('resume-1', { pathParameters: { id }, body: { trackIds: wanted } });

    faulty.failWrite(2);
    const cut = await call(sub, 'POST /playlists/{id}/entries', request);
    faulty.heal();
    expect(cut.statusCode).toBe(503);
    const { added } = bodyOf<{ error: { added: number } }>(cut).error;
    expect(added).toBeGreaterThan(0);

    const retries = await Promise.all([
      call(sub, 'POST /playlists/{id}/entries', request),
      call(sub, 'POST /playlists/{id}/entries', request),
    ]);
    expect(retries.map((r) => r.statusCode)).toEqual([201, 201]);
    const [a, b] = retries.map((r) => bodyOf<{ items: Entry[] }>(r).items.map((e) => e.id));
    expect(b).toEqual(a);
    const all = await expectConsistent(sub, id);
    expect(all.map((e) => e.id)).toEqual(a);
    expect(all.map((e) => e.trackId)).toEqual(wanted);
  });

  it('forgets a key after 24 hours', async () => {
    const sub = 'forgetful';
    const first = await call(sub, 'POST /playlists', withKey('day-1', { body: { name: 'Monday' } }));
    expect(first.statusCode).toBe(201);
    clock += 23 * 3600 * 1000;
    expect((await call(sub, 'POST /playlists', withKey('day-1', { body: { name: 'Tuesday' } }))).statusCode).toBe(422);
    clock += 2 * 3600 * 1000;
    const later = await call(sub, 'POST /playlists', withKey('day-1', { body: { name: 'Tuesday' } }));
    expect(later.statusCode).toBe(201);
    expect(later.headers?.['idempotent-replayed']).toBeUndefined();
    const names = bodyOf<{ items: Playlist[] }>(await call(sub, 'GET /playlists')).items.map((p) => p.name);
    expect(names.sort()).toEqual(['Monday', 'Tuesday']);
  });
});
