/*
 * The listening API (plays, history, likes, settings) on its handlers against DynamoDB Local,
 * with the table read directly to check the counts the home feed's schedule builds from.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_LIKED_TRACK_IDS,
  type HistoryItem,
  type LikedTrack,
  type ListeningSettings,
  type PlayInput,
  type PlaysAccepted,
} from '../../shared/api';
import { createDynamoClients, type DynamoClients } from '../../backend/adapters/dynamodb/client';
import { DynamoListeningRepository } from '../../backend/adapters/dynamodb/listening-repository.dynamodb';
import { userDataStores } from '../../backend/api/accounts/user-data-stores';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;
let clients: DynamoClients;
const tracks = Array.from({ length: 6 }, (_, i) => makeTrack(300 + i, { coverKey: `covers/${300 + i}.jpg` }));
const [a, b, c, d, e, gone] = tracks.map((t) => t.id) as [string, string, string, string, string, string];

beforeAll(async () => {
  stack = await startApiStack();
  for (const track of tracks) await stack.catalog.saveTrack(track);
  clients = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
});
afterAll(async () => {
  clients?.client.destroy();
  await stack?.stop();
});

const call = (sub: string, routeKey: string, options: EventOptions = {}) =>
  stack.functions.listening(apiEvent(routeKey, { sub, ...options }));

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const play = (trackId: string, startedAt: string, msPlayed = 240_000): PlayInput => ({ id: randomUUID(), trackId, startedAt, msPlayed });

async function postPlays(sub: string, plays: PlayInput[]): Promise<PlaysAccepted> {
  const res = await call(sub, 'POST /me/plays', { body: { plays } });
  expect(res.statusCode, res.body).toBe(202);
  return bodyOf<PlaysAccepted>(res);
}

async function history(sub: string, limit = 200): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  let cursor: string | undefined;
  do {
    const res = await call(sub, 'GET /me/history', { query: { limit: String(limit), ...(cursor ? { cursor } : {}) } });
    expect(res.statusCode).toBe(200);
    const page = bodyOf<{ items: HistoryItem[]; cursor?: string }>(res);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** The table's item, read directly. */
async function item(pk: string, sk: string) {
  const out = await clients.doc.send(new GetCommand({ TableName: stack.config.tables.listening, Key: { pk, sk }, ConsistentRead: true }));
  return out.Item;
}

async function partition(pk: string) {
  const out = await clients.doc.send(
    new QueryCommand({
      TableName: stack.config.tables.listening,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return out.Items ?? [];
}

type Item = Record<string, unknown>;
/** `pk/sk` of a key or item as the SDK sends it, marshalled (`{S: …}`) or not yet. */
const keyOf = (item: Item | undefined) =>
  ['pk', 'sk'].map((name) => (item?.[name] as { S?: string } | undefined)?.S ?? item?.[name]).join('/');

const playsOf = async (sub: string, trackId: string) => Number((await item(`user#${sub}`, `count#${trackId}`))?.plays ?? 0);
const dayPlays = async (startedAt: string, trackId: string) =>
  Number((await item(`day#${startedAt.slice(0, 10)}`, `track#${trackId}`))?.plays ?? 0);

describe('plays', () => {
  it('records a batch once, with counts per listener and per day, and ignores it when sent again', async () => {
    const startedAt = minutesAgo(30);
    const batch = [play(a, startedAt), play(a, minutesAgo(25)), play(b, minutesAgo(20))];
    const before = { a: await dayPlays(startedAt, a), b: await dayPlays(startedAt, b) };

    expect(await postPlays('ann', batch)).toEqual({ recorded: 3, known: 0, unknownTrackIds: [], refusedPlayIds: [], paused: false });
    expect(await playsOf('ann', a)).toBe(2);
    expect(await playsOf('ann', b)).toBe(1);
    expect(await dayPlays(startedAt, a)).toBe(before.a + 2);
    const day = await item(`day#${startedAt.slice(0, 10)}`, `track#${a}`);
    expect(day?.expiresAt).toBe(Date.parse(`${startedAt.slice(0, 10)}T00:00:00Z`) / 1000 + 9 * 24 * 3600);
    const marked = await item('changed', 'user#ann');
    expect(marked?.changedAt).toEqual(expect.any(String));

    // The same batch again (an answer lost on the way): nothing counted twice.
    expect(await postPlays('ann', batch)).toEqual({ recorded: 0, known: 3, unknownTrackIds: [], refusedPlayIds: [], paused: false });
    expect(await playsOf('ann', a)).toBe(2);
    expect(await playsOf('ann', b)).toBe(1);
    expect(await dayPlays(startedAt, a)).toBe(before.a + 2);
    expect(await dayPlays(startedAt, b)).toBe(before.b + 1);
    expect(await history('ann')).toHaveLength(3);

    // New and known together, and an id repeated within the batch.
    const fresh = play(c, minutesAgo(10));
    expect(await postPlays('ann', [batch[0]!, fresh, play(a, minutesAgo(5)), fresh])).toEqual({
      recorded: 2,
      known: 2,
      unknownTrackIds: [],
      refusedPlayIds: [],
      paused: false,
    });
    expect(await playsOf('ann', a)).toBe(3);
    expect(await playsOf('ann', c)).toBe(1);
    expect(await history('ann')).toHaveLength(5);
  });

  it('records 50 plays of a few tracks at once, each counted once', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => play([a, b, c][i % 3]!, minutesAgo(60 + i)));
    const started = performance.now();
    expect(await postPlays('busy', batch)).toMatchObject({ recorded: 50, known: 0 });
    console.info(`50 plays recorded in ${Math.round(performance.now() - started)} ms`);
    expect([await playsOf('busy', a), await playsOf('busy', b), await playsOf('busy', c)]).toEqual([17, 17, 16]);
    expect(await postPlays('busy', batch)).toMatchObject({ recorded: 0, known: 50 });
    expect(await playsOf('busy', a)).toBe(17);
  });

  it('counts plays of one track by many listeners at once, in transactions that share no item', async () => {
    // DynamoDB cancels a transaction that meets another on an item (TransactionConflict); DynamoDB
    // Local queues them instead, so the items each transaction touches are what is checked here.
    const recording = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
    const touched: string[][] = [];
    recording.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          const { TransactItems = [] } = args.input as { TransactItems?: Record<string, { Key?: Item; Item?: Item }>[] };
          touched.push(TransactItems.map((action) => Object.values(action).map((write) => keyOf(write.Key ?? write.Item))).flat());
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordTransactions' },
    );
    const repository = new DynamoListeningRepository(recording.doc, stack.config.tables.listening);
    const startedAt = minutesAgo(15);
    const before = await dayPlays(startedAt, e);
    const listeners = Array.from({ length: 20 }, (_, i) => `crowd${i}`);
    const plays = () => Array.from({ length: 3 }, () => play(e, startedAt));
    const recorded = await Promise.all(listeners.map((sub) => repository.recordPlays(sub, plays(), new Date())));
    recording.client.destroy();

    expect(recorded.every((r) => r.recorded === 3)).toBe(true);
    expect(touched).toHaveLength(60);
    const shared = touched.flat().filter((key) => !key.startsWith('user#'));
    expect(shared).toEqual([]);
    expect(await dayPlays(startedAt, e)).toBe(before + 60);
    expect(await playsOf('crowd0', e)).toBe(3);
  });

  it('skips plays of tracks the catalog does not hold and names them', async () => {
    const answer = await postPlays('ben', [play('tr_unknown1', minutesAgo(9)), play(d, minutesAgo(8)), play('tr_unknown1', minutesAgo(7))]);
    expect(answer).toEqual({ recorded: 1, known: 0, unknownTrackIds: ['tr_unknown1'], refusedPlayIds: [], paused: false });
    expect((await history('ben')).map((h) => h.trackId)).toEqual([d]);
    expect(await item('user#ben', 'count#tr_unknown1')).toBeUndefined();
  });

  it('skips plays started too far ahead or too long ago, names them, and stores the rest', async () => {
    const ahead = play(a, new Date(Date.now() + 10 * 60_000).toISOString());
    const old = play(b, new Date(Date.now() - 400 * 24 * 3600_000).toISOString());
    const fine = [play(a, minutesAgo(3)), play(c, minutesAgo(2))];
    expect(await postPlays('abe', [fine[0]!, ahead, old, fine[1]!, ahead])).toEqual({
      recorded: 2,
      known: 1,
      unknownTrackIds: [],
      refusedPlayIds: [ahead.id, old.id],
      paused: false,
    });
    expect((await history('abe')).map((h) => h.id)).toEqual([fine[1]!.id, fine[0]!.id]);
    expect(await playsOf('abe', b)).toBe(0);
    // Sent again (the outbox's retry), they are refused again; the stored ones are known.
    expect(await postPlays('abe', [fine[0]!, ahead, old])).toMatchObject({ recorded: 0, known: 1, refusedPlayIds: [ahead.id, old.id] });
  });

  it('refuses a malformed batch naming the field, storing nothing of it', async () => {
    const cases: [unknown, string][] = [
      [{ plays: Array.from({ length: 51 }, () => play(a, minutesAgo(1))) }, 'plays'],
      [{ plays: [] }, 'plays'],
      [{ plays: [play(a, minutesAgo(1)), play(a, '2026-05-01T18:30:00')] }, 'plays.1.startedAt'],
      [{ plays: [play(a, minutesAgo(1), -5)] }, 'plays.0.msPlayed'],
      [{ plays: [play(a, minutesAgo(1), 24 * 3600_000 + 1)] }, 'plays.0.msPlayed'],
      [{ plays: [play('../x', minutesAgo(1))] }, 'plays.0.trackId'],
      [{ plays: [{ ...play(a, minutesAgo(1)), id: '' }] }, 'plays.0.id'],
    ];
    for (const [body, field] of cases) {
      const res = await call('cat', 'POST /me/plays', { body });
      expect(res.statusCode, field).toBe(400);
      expect(bodyOf(res), field).toMatchObject({ error: { code: 'invalid_input', field } });
    }
    expect((await call('cat', 'POST /me/plays', { body: '{oops' })).statusCode).toBe(400);
    expect(await partition('user#cat')).toEqual([]);
  });

  it('answers 401 without a verified user', async () => {
    const res = await stack.functions.listening(apiEvent('GET /me/history'));
    expect(res.statusCode).toBe(401);
  });
});

describe('history', () => {
  it('lists plays newest first by start, page by page, each with its track', async () => {
    const starts = [50, 10, 40, 20, 30, 0.5].map(minutesAgo);
    const plays = starts.map((startedAt, i) => play(tracks[i % 5]!.id, startedAt, 1000 * i));
    await postPlays('dora', plays.slice(0, 3));
    await postPlays('dora', plays.slice(3));

    const listed = await history('dora', 2);
    const newestFirst = [...plays].sort((x, y) => y.startedAt.localeCompare(x.startedAt));
    expect(listed.map((h) => h.id)).toEqual(newestFirst.map((p) => p.id));
    const first = listed[0]!;
    expect(first).toEqual({
      id: newestFirst[0]!.id,
      trackId: newestFirst[0]!.trackId,
      startedAt: newestFirst[0]!.startedAt,
      msPlayed: newestFirst[0]!.msPlayed,
      track: expect.objectContaining({
        id: newestFirst[0]!.trackId,
        title: expect.any(String),
        coverUrl: expect.stringContaining('covers/'),
      }),
    });
  });

  it('stores starts in UTC, so a start sent with an offset sorts by its moment', async () => {
    const utc = new Date(Date.now() - 60 * 60_000);
    const offset = `${new Date(utc.getTime() + 2 * 60 * 60_000 + 60_000).toISOString().slice(0, 19)}+02:00`; // a minute later
    await postPlays('eve', [play(a, utc.toISOString()), { ...play(b, offset) }]);
    const [newest, oldest] = await history('eve');
    expect(newest).toMatchObject({ trackId: b, startedAt: new Date(utc.getTime() + 60_000).toISOString().replace(/\.\d{3}Z$/, '.000Z') });
    expect(oldest).toMatchObject({ trackId: a });
  });

  it('shows a track that has left the catalog as null', async () => {
    await postPlays('finn', [play(gone, minutesAgo(3))]);
    await clients.doc.send(new DeleteCommand({ TableName: stack.config.tables.tracks, Key: { pk: `track#${gone}`, sk: 'track' } }));
    expect(await history('finn')).toEqual([expect.objectContaining({ trackId: gone, track: null })]);
  });

  it('refuses a cursor it did not hand out, or one of another listener', async () => {
    await postPlays('gail', [play(a, minutesAgo(3)), play(b, minutesAgo(2))]);
    const page = bodyOf<{ cursor: string }>(await call('gail', 'GET /me/history', { query: { limit: '1' } }));
    expect(page.cursor).toEqual(expect.any(String));
    for (const cursor of ['not-a-cursor', page.cursor]) {
      const res = await call('hugo', 'GET /me/history', { query: { cursor } });
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res)).toMatchObject({ error: { code: 'invalid_input', field: 'cursor' } });
    }
    const likesCursor = await call('gail', 'GET /me/likes', { query: { cursor: page.cursor } });
    expect(likesCursor.statusCode).toBe(400);
  });

  it('clears plays and counts, keeps likes and settings, and marks the listener for the feed', async () => {
    await postPlays('ivy', [play(a, minutesAgo(4)), play(b, minutesAgo(3))]);
    expect((await call('ivy', 'PUT /me/likes/{trackId}', { pathParameters: { trackId: c } })).statusCode).toBe(204);
    const before = (await item('changed', 'user#ivy'))?.changedAt as string;

    expect((await call('ivy', 'DELETE /me/history')).statusCode).toBe(204);
    expect(await history('ivy')).toEqual([]);
    expect((await partition('user#ivy')).map((i) => i.sk)).toEqual([`like#${c}`, 'settings']);
    expect(((await item('changed', 'user#ivy'))?.changedAt as string) >= before).toBe(true);
    expect((await call('ivy', 'DELETE /me/history')).statusCode).toBe(204);
  });

  it('does not store again a play from before the clear that comes late (an outbox retry)', async () => {
    const old = play(a, minutesAgo(4));
    await postPlays('jo', [old]);
    expect((await call('jo', 'DELETE /me/history')).statusCode).toBe(204);
    // Changing the settings keeps the time of the clear.
    await call('jo', 'PATCH /me/settings', { body: { historyPaused: false } });
    expect(bodyOf(await call('jo', 'GET /me/settings'))).toEqual({ historyPaused: false });

    const unsent = play(b, minutesAgo(3));
    expect(await postPlays('jo', [old, unsent])).toEqual({ recorded: 0, known: 2, unknownTrackIds: [], refusedPlayIds: [], paused: false });
    expect(await history('jo')).toEqual([]);
    expect(await item('user#jo', `count#${a}`)).toBeUndefined();

    const later = play(c, new Date(Date.now() + 1000).toISOString());
    expect(await postPlays('jo', [later])).toMatchObject({ recorded: 1, known: 0 });
    expect((await history('jo')).map((h) => h.id)).toEqual([later.id]);
  });
});

describe('settings', () => {
  it('pauses the history: plays sent meanwhile are answered paused and not stored', async () => {
    expect(bodyOf<ListeningSettings>(await call('jay', 'GET /me/settings'))).toEqual({ historyPaused: false });
    const paused = await call('jay', 'PATCH /me/settings', { body: { historyPaused: true } });
    expect(paused.statusCode).toBe(200);
    expect(bodyOf(paused)).toEqual({ historyPaused: true });
    expect(bodyOf(await call('jay', 'GET /me/settings'))).toEqual({ historyPaused: true });

    expect(await postPlays('jay', [play(a, minutesAgo(2)), play('tr_unknown2', minutesAgo(1))])).toEqual({
      recorded: 0,
      known: 0,
      unknownTrackIds: [],
      refusedPlayIds: [],
      paused: true,
    });
    expect(await history('jay')).toEqual([]);
    expect(await item('user#jay', `count#${a}`)).toBeUndefined();
    expect(await item('changed', 'user#jay')).toBeUndefined();

    await call('jay', 'PATCH /me/settings', { body: { historyPaused: false } });
    expect(await postPlays('jay', [play(a, minutesAgo(1))])).toMatchObject({ recorded: 1, paused: false });

    const bad = await call('jay', 'PATCH /me/settings', { body: { historyPaused: 'yes' } });
    expect(bodyOf(bad)).toMatchObject({ error: { code: 'invalid_input', field: 'historyPaused' } });
  });
});

describe('likes', () => {
  const like = (sub: string, trackId: string) => call(sub, 'PUT /me/likes/{trackId}', { pathParameters: { trackId } });
  const unlike = (sub: string, trackId: string) => call(sub, 'DELETE /me/likes/{trackId}', { pathParameters: { trackId } });
  const likes = async (sub: string, query: Record<string, string> = {}) =>
    bodyOf<{ items: LikedTrack[]; cursor?: string }>(await call(sub, 'GET /me/likes', { query }));
  const ids = async (sub: string) => bodyOf<{ trackIds: string[] }>(await call(sub, 'GET /me/likes/ids')).trackIds;

  it('likes once, keeps the first like on a repeat, unlikes, and lists newest first', async () => {
    for (const trackId of [a, b, c]) {
      expect((await like('kim', trackId)).statusCode).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = (await likes('kim')).items.find((l) => l.trackId === a)!;
    expect((await like('kim', a)).statusCode).toBe(204);
    expect((await likes('kim')).items.find((l) => l.trackId === a)!.likedAt).toBe(first.likedAt);
    expect(await item('changed', 'user#kim')).toBeDefined();

    expect(await ids('kim')).toEqual([c, b, a]);
    const page1 = await likes('kim', { limit: '2' });
    expect(page1.items.map((l) => l.trackId)).toEqual([c, b]);
    expect(page1.items[0]!.track).toMatchObject({ id: c, coverUrl: expect.stringContaining('covers/') });
    const page2 = await likes('kim', { limit: '2', cursor: page1.cursor! });
    expect(page2.items.map((l) => l.trackId)).toEqual([a]);
    expect(page2.cursor).toBeUndefined();

    expect((await unlike('kim', b)).statusCode).toBe(204);
    expect((await unlike('kim', b)).statusCode).toBe(204);
    expect(await ids('kim')).toEqual([c, a]);
    expect((await likes('kim')).items.map((l) => l.trackId)).toEqual([c, a]);
  });

  it('answers at most the newest liked ids the bound allows', async () => {
    for (const trackId of [a, b, c, d]) {
      await like('lou', trackId);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const repository = new DynamoListeningRepository(clients.doc, stack.config.tables.listening);
    expect(await repository.likedTrackIds('lou', 3)).toEqual([d, c, b]);
    expect(await repository.likedTrackIds('lou', MAX_LIKED_TRACK_IDS)).toEqual([d, c, b, a]);
    expect(await ids('lou')).toEqual([d, c, b, a]);
  });

  it('answers 404 for a track the catalog does not hold, 400 for a malformed id', async () => {
    const missing = await like('lea', 'tr_missing');
    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing)).toMatchObject({ error: { code: 'not_found', message: 'Track not found' } });
    expect((await like('lea', 'a.b')).statusCode).toBe(400);
    expect(await ids('lea')).toEqual([]);
    // Unliking needs no catalog track: it may have left since.
    expect((await unlike('lea', 'tr_missing')).statusCode).toBe(204);
  });
});

describe('privacy', () => {
  it("never shows one listener another's plays, likes or settings", async () => {
    await postPlays('max', [play(e, minutesAgo(2))]);
    await like('max', e);
    await call('max', 'PATCH /me/settings', { body: { historyPaused: true } });

    expect(await history('nora')).toEqual([]);
    expect(bodyOf(await call('nora', 'GET /me/likes'))).toEqual({ items: [] });
    expect(bodyOf(await call('nora', 'GET /me/likes/ids'))).toEqual({ trackIds: [] });
    expect(bodyOf(await call('nora', 'GET /me/settings'))).toEqual({ historyPaused: false });
    // Unliking and clearing act on one's own data only.
    await call('nora', 'DELETE /me/likes/{trackId}', { pathParameters: { trackId: e } });
    await call('nora', 'DELETE /me/history');
    expect(await history('max')).toHaveLength(1);
    expect(bodyOf(await call('max', 'GET /me/likes/ids'))).toEqual({ trackIds: [e] });
  });

  it("leaves nothing of a deleted account once the purge has erased it, and only that account's", async () => {
    await postPlays('olga', [play(a, minutesAgo(3)), play(b, minutesAgo(2))]);
    await like('olga', a);
    await call('olga', 'PATCH /me/settings', { body: { historyPaused: true } });
    await postPlays('pete', [play(a, minutesAgo(1))]);
    const pete = await partition('user#pete');

    const listening = userDataStores(stack.config, clients.doc).find((store) => store.name === 'listening')!;
    // Two plays, two counts, a like, the settings and the mark.
    expect(await listening.eraseUser('olga')).toBe(7);
    expect(await partition('user#olga')).toEqual([]);
    expect(await item('changed', 'user#olga')).toBeUndefined();
    expect(await listening.eraseUser('olga')).toBe(0);
    expect(await partition('user#pete')).toEqual(pete);
    expect(await item('changed', 'user#pete')).toBeDefined();
  });

  const like = (sub: string, trackId: string) => call(sub, 'PUT /me/likes/{trackId}', { pathParameters: { trackId } });
});
