import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Album, Artist, Track } from '../../backend/domain/catalog';
import { apiEvent, bodyOf } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;
const sub = 'user-catalog';
const tracks = Array.from({ length: 30 }, (_, i) => makeTrack(i, { coverKey: i % 5 === 0 ? 'covers/zero.jpg' : undefined }));

beforeAll(async () => {
  stack = await startApiStack();
  for (const track of tracks) await stack.catalog.saveTrack(track);
  // Saving again must not double any count.
  for (const track of tracks.slice(0, 10)) await stack.catalog.saveTrack(track);
});
afterAll(() => stack?.stop());

const call = (routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) =>
  stack.functions.catalog(apiEvent(routeKey, { sub, ...options }));

describe('catalog API', () => {
  it('pages through every track exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET /tracks', { query: { limit: '7', ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode).toBe(200);
      const page = bodyOf<{ items: Track[]; cursor?: string }>(res);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(seen.sort()).toEqual(tracks.map((t) => t.id).sort());
  });

  it('returns tracks by id in the order asked, without storage fields', async () => {
    const ids = [tracks[3]!.id, tracks[0]!.id, 'tr_unknown'];
    const res = await call('GET /tracks', { query: { ids: ids.join(',') } });
    const { items } = bodyOf<{ items: (Track & Record<string, unknown>)[] }>(res);
    expect(items.map((t) => t.id)).toEqual(ids.slice(0, 2));
    expect(items[0]).not.toHaveProperty('audioKey');
    expect(items[1]!.coverUrl).toMatch(/covers\/zero\.jpg\?.*X-Amz-Signature/);
  });

  it('rejects more than 100 ids, a bad limit and a forged cursor', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `tr_${i}`).join(',');
    expect(bodyOf(await call('GET /tracks', { query: { ids: many } }))).toMatchObject({
      error: { code: 'invalid_input', field: 'ids' },
    });
    expect((await call('GET /tracks', { query: { ids: 'bad id!' } })).statusCode).toBe(400);
    expect(bodyOf(await call('GET /tracks', { query: { limit: '500' } }))).toMatchObject({
      error: { code: 'invalid_input', field: 'limit' },
    });
    const forged = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi2pk: 'albums', gsi2sk: 'z' })).toString('base64url');
    expect((await call('GET /tracks', { query: { cursor: forged } })).statusCode).toBe(400);
  });

  it('answers 401 without a verified user and 404 for an unknown track', async () => {
    expect((await stack.functions.catalog(apiEvent('GET /tracks/{id}', { pathParameters: { id: 'x' } }))).statusCode).toBe(401);
    const res = await call('GET /tracks/{id}', { pathParameters: { id: 'tr_missing' } });
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res)).toEqual({ error: { code: 'not_found', message: 'Track not found' } });
  });

  it('lists albums and artists by name with counts that ignore re-saves', async () => {
    const albums = bodyOf<{ items: Album[] }>(await call('GET /albums')).items;
    // Albums are keyed by (artist, name): 3 artists × 5 names, listed by name.
    expect(albums).toHaveLength(15);
    expect(albums.map((a) => a.name)).toEqual([...albums.map((a) => a.name)].sort());
    const artists = bodyOf<{ items: Artist[] }>(await call('GET /artists', { query: { limit: '2' } }));
    expect(artists.items.map((a) => a.name)).toEqual(['Artist 0', 'Artist 1']);
    const all = bodyOf<{ items: Artist[] }>(await call('GET /artists')).items;
    expect(all.map((a) => a.trackCount)).toEqual([10, 10, 10]);
    expect(all.reduce((sum, a) => sum + a.albumCount, 0)).toBe(15);
  });

  it('shows an album with its tracks in disc/track order', async () => {
    const track = tracks[0]!;
    const res = await call('GET /albums/{id}', { pathParameters: { id: track.albumId } });
    const album = bodyOf<Album & { tracks: Track[] }>(res);
    expect(album).toMatchObject({ id: track.albumId, name: track.album, artistId: track.artistId, trackCount: 2 });
    expect(album.tracks.map((t) => t.trackNumber)).toEqual([0, 15]);
    expect(album.coverUrl).toContain('covers/zero.jpg');
  });

  it('shows an artist with albums and tracks', async () => {
    const artist = bodyOf<Artist & { albums: Album[]; tracks: Track[] }>(
      await call('GET /artists/{id}', { pathParameters: { id: tracks[1]!.artistId } }),
    );
    expect(artist.name).toBe('Artist 1');
    expect(artist.albums).toHaveLength(5);
    expect(artist.tracks).toHaveLength(10);
    expect(new Set(artist.tracks.map((t) => t.artistId))).toEqual(new Set([tracks[1]!.artistId]));
  });

  it('streams audio through a presigned URL that honours Range', async () => {
    const track = tracks[2]!;
    const audio = new Uint8Array(4096).map((_, i) => i % 251);
    await stack.media.put(track.audioKey, audio, track.contentType);
    expect(await stack.media.exists(track.audioKey)).toBe(true);
    expect(await stack.media.exists('audio/missing.wav')).toBe(false);

    const res = await call('GET /tracks/{id}/stream', { pathParameters: { id: track.id } });
    expect(res.statusCode).toBe(200);
    const { url, expiresAt } = bodyOf<{ url: string; expiresAt: string }>(res);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(800_000);
    const partial = await fetch(url, { headers: { Range: 'bytes=0-99' } });
    expect(partial.status).toBe(206);
    const bytes = new Uint8Array(await partial.arrayBuffer());
    expect(bytes).toEqual(audio.slice(0, 100));
  });
});
