import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../backend/adapters/s3/client';
import { createIndexSync } from '../../backend/adapters/search/index-sync';
import type { ApiResult } from '../../backend/api/types';
import { albumIdFor, artistIdFor } from '../../backend/domain/ids';
import { demoAlbums } from '../../backend/local/demo/catalog';
import { apiEvent, bodyOf } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';
import { generateCatalog } from '../support/search-catalog';

type Stack = Awaited<ReturnType<typeof startApiStack>>;

/** The demo catalog's albums next to the generated one, for the typo and top-result answers. */
const named = demoAlbums.flatMap(({ artist, album, genre, year, tracks }, a) =>
  tracks.map((title, t) => makeTrack(1000 + a * 100 + t, { title, artist, album, genre, year, trackNumber: t + 1 })),
);

interface SearchBody {
  tracks: { id: string; title: string; artist: string }[];
  albums: { id: string; name: string }[];
  artists: { id: string; name: string }[];
  cursor?: string;
  didYouMean?: string;
  top?: { kind: string; id: string };
}

describe('search API (embedded index, through the Lambda handler)', () => {
  let stack: Stack;
  const catalog = generateCatalog(400, 3);
  /** `sub: ''` sends no verified user. */
  const get = (routeKey: string, query: Record<string, string>, sub = 'user-1'): Promise<ApiResult> =>
    stack.functions.search(apiEvent(routeKey, { sub, query }));

  beforeAll(async () => {
    stack = await startApiStack();
    for (const track of catalog.slice(0, 40)) await stack.catalog.saveTrack(track);
    const s3 = createS3Client({ region: stack.config.region, endpoint: stack.config.endpoints.s3 });
    const sync = createIndexSync({ search: { backend: 'embedded' }, region: stack.config.region, s3, bucket: stack.config.mediaBucket });
    await sync.indexTracks([...catalog, ...named]);
    await sync.publishSnapshot();
    sync.close();
    s3.destroy();
  });
  afterAll(() => stack?.stop());

  it('needs a signed-in user', async () => {
    expect((await get('GET /search', { q: 'beyonce' }, '')).statusCode).toBe(401);
    expect((await get('GET /search/suggest', { q: 'beyonce' }, '')).statusCode).toBe(401);
  });

  it('answers grouped tracks, albums and artists in the public shapes, covers signed', async () => {
    const res = await get('GET /search', { q: 'beyonce' });
    expect(res.statusCode).toBe(200);
    const body = bodyOf<{ tracks: Record<string, unknown>[]; albums: Record<string, unknown>[]; artists: Record<string, unknown>[] }>(res);
    expect(body.artists[0]).toEqual({ id: expect.any(String), name: 'Beyoncé', albumCount: 1, trackCount: 2 });
    expect(body.albums[0]).toMatchObject({
      name: 'Lemonade',
      artist: 'Beyoncé',
      trackCount: 2,
      coverUrl: expect.stringContaining('X-Amz-Signature'),
    });
    expect(body.tracks[0]).toMatchObject({ artist: 'Beyoncé', durationMs: expect.any(Number), coverUrl: expect.any(String) });
    for (const track of body.tracks)
      expect(Object.keys(track)).not.toEqual(expect.arrayContaining(['audioKey', 'contentHash', 'coverKey']));
  });

  it('filters by field and pages with the cursor', async () => {
    const artist = catalog[100]!.artist;
    const first = bodyOf<{ tracks: { id: string; artist: string }[]; cursor?: string }>(
      await get('GET /search', { q: artist, field: 'artist', limit: '3' }),
    );
    expect(first.tracks).toHaveLength(3);
    expect(first.tracks.every((t) => t.artist === artist)).toBe(true);
    expect(first.cursor).toEqual(expect.any(String));
    const second = bodyOf<{ tracks: { id: string }[] }>(
      await get('GET /search', { q: artist, field: 'artist', limit: '3', cursor: first.cursor! }),
    );
    expect(second.tracks.map((t) => t.id)).not.toEqual(expect.arrayContaining(first.tracks.map((t) => t.id)));
  });

  it('says what a mistyped query meant, and finds it', async () => {
    const body = bodyOf<SearchBody>(await get('GET /search', { q: 'Smlal Hours' }));
    expect(body.didYouMean).toBe('Small Hours');
    expect(body.tracks[0]).toMatchObject({ title: 'Small Hours', artist: 'Kito & Mara' });
    expect(body.top).toEqual({ kind: 'track', id: body.tracks[0]!.id });
  });

  it('puts the artist or album a query names on top, with no suggestion for a query spelt right', async () => {
    const artist = bodyOf<SearchBody>(await get('GET /search', { q: 'orquesta solar' }));
    expect(artist.top).toEqual({ kind: 'artist', id: artistIdFor('Orquesta Solar') });
    expect(artist.artists.map((a) => a.id)).toContain(artistIdFor('Orquesta Solar'));
    expect(artist).not.toHaveProperty('didYouMean');

    const album = bodyOf<SearchBody>(await get('GET /search', { q: 'Paper Boats' }));
    expect(album.top).toEqual({ kind: 'album', id: albumIdFor('Kito & Mara', 'Paper Boats') });
    expect(album).not.toHaveProperty('didYouMean');
  });

  it('gives the suggestion and top hit on the first page only', async () => {
    const first = bodyOf<SearchBody>(await get('GET /search', { q: 'Orqeusta Solar', limit: '1' }));
    expect(first.didYouMean).toBe('Orquesta Solar');
    expect(first.top).toEqual({ kind: 'artist', id: artistIdFor('Orquesta Solar') });
    expect(first.cursor).toEqual(expect.any(String));
    const second = bodyOf<SearchBody>(await get('GET /search', { q: 'Orqeusta Solar', limit: '1', cursor: first.cursor! }));
    expect(second.tracks).toHaveLength(1);
    expect(second).not.toHaveProperty('didYouMean');
    expect(second).not.toHaveProperty('top');
  });

  it('suggests as you type', async () => {
    const res = await get('GET /search/suggest', { q: 'sigur r', limit: '3' });
    expect(res.statusCode).toBe(200);
    expect(bodyOf<{ suggestions: unknown[] }>(res).suggestions[0]).toEqual({ text: 'Sigur Rós', kind: 'artist', id: expect.any(String) });
  });

  it('answers blank queries with nothing and bad input with a 400 naming the field', async () => {
    for (const q of ['', '   ', '\t']) {
      const res = await get('GET /search', { q });
      expect(res.statusCode, JSON.stringify(q)).toBe(200);
      expect(bodyOf(res)).toEqual({ tracks: [], albums: [], artists: [] });
      expect(bodyOf(await get('GET /search/suggest', { q }))).toEqual({ suggestions: [] });
    }
    const bad: [Record<string, string>, string][] = [
      [{}, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'abc\u0000' }, 'q'],
      [{ q: 'a\u001b[31m' }, 'q'],
      [{ q: 'abc', field: 'genre' }, 'field'],
      [{ q: 'abc', limit: '0' }, 'limit'],
      [{ q: 'abc', limit: '51' }, 'limit'],
      [{ q: 'abc', cursor: 'not-a-cursor' }, 'cursor'],
    ];
    for (const [query, field] of bad) {
      for (const route of field === 'field' || field === 'cursor' ? ['GET /search'] : ['GET /search', 'GET /search/suggest']) {
        const res = await get(route, query);
        expect(res.statusCode, `${route} ${JSON.stringify(query)}`).toBe(400);
        expect(bodyOf<{ error: { code: string; field?: string } }>(res).error).toMatchObject({ code: 'invalid_input', field });
      }
    }
  });

  it('never answers a 500 to odd but valid text', async () => {
    for (const q of [`"unterminated`, '(((', '*', '~1', `a' OR 1=1 --`, '🎵🎶', 'ß'.repeat(200), '\u200b', 'kind:album', '\\']) {
      for (const route of ['GET /search', 'GET /search/suggest']) {
        const res = await get(route, { q });
        expect(res.statusCode, `${route} ${q}`).toBe(200);
      }
    }
  });
});
