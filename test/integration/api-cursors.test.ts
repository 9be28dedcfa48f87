import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playlist } from '../../backend/domain/playlists';
import type { ApiResult } from '../../backend/api/types';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
type Listing = { items: { id: string }[]; cursor?: string };
let stack: Stack;
const tracks = Array.from({ length: 6 }, (_, i) => makeTrack(300 + i));

beforeAll(async () => {
  stack = await startApiStack();
  for (const track of tracks) await stack.catalog.saveTrack(track);
});
afterAll(() => stack?.stop());

const playlists = (sub: string, routeKey: string, options: EventOptions = {}) =>
  stack.functions.playlists(apiEvent(routeKey, { sub, ...options }));
const catalog = (routeKey: string, options: EventOptions = {}) =>
  stack.functions.catalog(apiEvent(routeKey, { sub: 'listener', ...options }));

/** A cursor as the API encodes one, around any JSON value. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const rawCursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

async function createPlaylist(sub: string, name: string, entries = 0): Promise<Playlist> {
  const res = await playlists(sub, 'POST /playlists', { body: { name } });
  expect(res.statusCode).toBe(201);
  const playlist = bodyOf<Playlist>(res);
  if (entries) {
    const trackIds = tracks.slice(0, entries).map((t) => t.id);
    const added = await playlists(sub, 'POST /playlists/{id}/entries', { pathParameters: { id: playlist.id }, body: { trackIds } });
    expect(added.statusCode).toBe(201);
  }
  return playlist;
}

function expectCursorRefused(res: ApiResult, label: string) {
  expect.soft(res.statusCode, `${label}: ${res.body}`).toBe(400);
  expect.soft(bodyOf(res), label).toEqual({
    error: { code: 'invalid_input', field: 'cursor', message: expect.stringMatching(/cursor/) },
  });
}

/** Tamperings that fit any listing: not a cursor at all, or not the JSON object one holds. */
const malformed: [string, string][] = [
  ['not base64', '!!!***'],
  ['percent signs', '%%%%'],
  ['a lone base64 character', 'a'],
  ['base64 of broken JSON', rawCursor('{"pk":')],
  ['base64 of plain text', rawCursor('hello')],
  ['base64 of null', cursorOf(null)],
  ['base64 of an array', cursorOf(['pk', 'sk'])],
  ['base64 of a string', cursorOf('pk')],
  ['base64 of a number', cursorOf(42)],
  ['an empty object', cursorOf({})],
  ['base64 with padding and line breaks', `${cursorOf({ a: 1 })}==\n`],
];

describe('paging cursors', () => {
  it('refuses malformed and forged playlist cursors with a 400, never a 500', async () => {
    await createPlaylist('cursor-alice', 'One');
    await createPlaylist('cursor-alice', 'Two');
    await createPlaylist('cursor-alice', 'Three');
    const forged: [string, string][] = [
      ...malformed,
      ['numbers for keys', cursorOf({ pk: 1, sk: 2 })],
      ['a typed attribute value', cursorOf({ pk: 'user#cursor-alice', sk: { S: 'playlist#x' } })],
      ['a list for the sort key', cursorOf({ pk: 'user#cursor-alice', sk: ['playlist#x'] })],
      ['a missing sort key', cursorOf({ pk: 'user#cursor-alice' })],
      ['an extra key', cursorOf({ pk: 'user#cursor-alice', sk: 'playlist#x', rank: 'a' })],
      ['an empty sort key', cursorOf({ pk: 'user#cursor-alice', sk: '' })],
      ['a sort key outside the listing', cursorOf({ pk: 'user#cursor-alice', sk: 'zzz' })],
      ['a sort key of another item kind', cursorOf({ pk: 'user#cursor-alice', sk: 'entry#x' })],
      ['an oversized sort key', cursorOf({ pk: 'user#cursor-alice', sk: `playlist#${'x'.repeat(1100)}` })],
      ['another user', cursorOf({ pk: 'user#cursor-bob', sk: 'playlist#x' })],
      ['a playlist partition', cursorOf({ pk: 'playlist#x', sk: 'entry#x' })],
    ];
    for (const [label, cursor] of forged) {
      expectCursorRefused(await playlists('cursor-alice', 'GET /playlists', { query: { cursor } }), label);
    }
  });

  it("will not page through another user's playlists with their cursor", async () => {
    for (const name of ['B1', 'B2', 'B3']) await createPlaylist('cursor-bob', name);
    const bobsFirst = bodyOf<Listing>(await playlists('cursor-bob', 'GET /playlists', { query: { limit: '1' } }));
    expect(bobsFirst.cursor).toEqual(expect.any(String));

    const res = await playlists('cursor-carol', 'GET /playlists', { query: { cursor: bobsFirst.cursor! } });
    expectCursorRefused(res, "bob's cursor");
    expect(res.body).not.toContain('B2');
  });

  it('refuses malformed, forged and foreign entry cursors with a 400', async () => {
    const own = await createPlaylist('cursor-dave', 'Mine', 4);
    const other = await createPlaylist('cursor-dave', 'Also mine', 4);
    const foreign = await createPlaylist('cursor-erin', 'Theirs', 4);
    const path = { pathParameters: { id: own.id } };
    const firstPage = async (sub: string, id: string) =>
      bodyOf<Listing>(await playlists(sub, 'GET /playlists/{id}/entries', { pathParameters: { id }, query: { limit: '1' } })).cursor!;
    const [otherCursor, foreignCursor] = [await firstPage('cursor-dave', other.id), await firstPage('cursor-erin', foreign.id)];
    const pk = `playlist#${own.id}`;
    const forged: [string, string][] = [
      ...malformed,
      ['numbers for keys', cursorOf({ pk, sk: 1, rank: 2 })],
      ['a missing rank', cursorOf({ pk, sk: 'entry#x' })],
      ['an empty rank', cursorOf({ pk, sk: 'entry#x', rank: '' })],
      ['an empty sort key', cursorOf({ pk, sk: '', rank: 'a0' })],
      ['a sort key of another item kind', cursorOf({ pk, sk: 'playlist#x', rank: 'a0' })],
      ['an oversized rank', cursorOf({ pk, sk: 'entry#x', rank: 'a'.repeat(1100) })],
      ["another of the user's playlists", otherCursor],
      ["another user's playlist", foreignCursor],
      ["the user's playlist listing", cursorOf({ pk: 'user#cursor-dave', sk: `playlist#${own.id}` })],
    ];
    for (const [label, cursor] of forged) {
      expectCursorRefused(await playlists('cursor-dave', 'GET /playlists/{id}/entries', { ...path, query: { cursor } }), label);
    }
    // The owner of the foreign playlist cannot reach it with the right cursor through someone else's id either.
    const theirs = await playlists('cursor-dave', 'GET /playlists/{id}/entries', {
      pathParameters: { id: foreign.id },
      query: { cursor: foreignCursor },
    });
    expect(theirs.statusCode).toBe(404);
  });

  it('refuses malformed and forged catalog cursors with a 400', async () => {
    const firstTracks = bodyOf<Listing>(await catalog('GET /tracks', { query: { limit: '1' } }));
    const firstAlbums = bodyOf<Listing>(await catalog('GET /albums', { query: { limit: '1' } }));
    expect(firstTracks.cursor && firstAlbums.cursor).toEqual(expect.any(String));
    const forged: [string, string][] = [
      ...malformed,
      ['numbers for keys', cursorOf({ pk: 1, sk: 2, gsi2pk: 'tracks', gsi2sk: 3 })],
      ['empty table keys', cursorOf({ pk: '', sk: '', gsi2pk: 'tracks', gsi2sk: '' })],
      ['an empty index sort key', cursorOf({ pk: 'track#x', sk: 'track', gsi2pk: 'tracks', gsi2sk: '' })],
      ['an oversized index sort key', cursorOf({ pk: 'track#x', sk: 'track', gsi2pk: 'tracks', gsi2sk: 'z'.repeat(1100) })],
      ['another listing', firstAlbums.cursor!],
    ];
    for (const [label, cursor] of forged) {
      expectCursorRefused(await catalog('GET /tracks', { query: { cursor } }), label);
    }
    // The cursors the API hands out still work.
    const second = await catalog('GET /tracks', { query: { limit: '1', cursor: firstTracks.cursor! } });
    expect(second.statusCode).toBe(200);
    expect(bodyOf<Listing>(second).items[0]!.id).not.toBe(firstTracks.items[0]!.id);
  });
});
