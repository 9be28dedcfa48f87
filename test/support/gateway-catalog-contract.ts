/*
 * The catalog API, audio streams, the home feed and search over real HTTP through a gateway, on the
 * local stack's demo catalog: run against the handlers built from source (integration) and
 * against the synthesized Lambda bundles (deploy rehearsal).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, catalogTrackIds, signUp, type Page } from './api-client';
import { apiAudience } from '../../backend/local/config';

/** Where a contract sends its requests: the API gateway, and the auth server whose tokens it accepts. */
export interface GatewayTarget {
  api: string;
  auth: string;
}

interface TrackView {
  id: string;
  title: string;
  artist: string;
  artistId: string;
  albumId: string;
  durationMs: number;
  coverUrl?: string;
}

/**
 * Registers the catalog contract; `target` is read in `beforeAll`, so the caller's own
 * `beforeAll` may start the stack it points at.
 */
export function describeCatalogContract(target: () => GatewayTarget) {
  describe('catalog through the gateway', () => {
    let api: ApiClient;
    let trackIds: string[];

    beforeAll(async () => {
      api = new ApiClient(target().api, (await signUp(target().auth, 'listener')).accessToken);
      trackIds = await catalogTrackIds(api);
    });

    async function pageThrough<T extends { id: string }>(path: string, limit: number): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
        const response = await api.get<Page<T>>(`${path}?${query}`);
        expect(response.status).toBe(200);
        items.push(...response.body.items);
        cursor = response.body.cursor;
      } while (cursor);
      return items;
    }

    it('pages albums and artists by cursor without repeats, and details each', async () => {
      const albums = await pageThrough<{ id: string }>('/albums', 3);
      expect(albums).toHaveLength(8);
      expect(new Set(albums.map((a) => a.id)).size).toBe(8);
      const artists = await pageThrough<{ id: string; name: string }>('/artists', 2);
      expect(new Set(artists.map((a) => a.id)).size).toBe(artists.length);
      expect(artists.length).toBeGreaterThanOrEqual(3);

      const artist = await api.get<{ id: string; albums: { id: string }[]; tracks: TrackView[] }>(`/artists/${artists[0]!.id}`);
      expect(artist.status).toBe(200);
      expect(artist.body.albums.length).toBeGreaterThan(0);
      expect(artist.body.tracks.every((t) => t.artistId === artists[0]!.id)).toBe(true);
      const album = await api.get<{ id: string; tracks: TrackView[] }>(`/albums/${albums[0]!.id}`);
      expect(album.status).toBe(200);
      expect(album.body.tracks.length).toBeGreaterThan(0);
      expect(album.body.tracks.every((t) => t.albumId === albums[0]!.id)).toBe(true);
      expect(trackIds).toHaveLength(32);
    });

    it('reads tracks one by one and in batches, and tells what is missing', async () => {
      const one = await api.get<TrackView>(`/tracks/${trackIds[0]}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: trackIds[0] });
      expect(one.body).not.toHaveProperty('audioKey');

      const some = await api.get<Page<TrackView>>(`/tracks?ids=${trackIds.slice(0, 5).join(',')}`);
      expect(new Set(some.body.items.map((t) => t.id))).toEqual(new Set(trackIds.slice(0, 5)));
      const tooMany = Array.from({ length: 101 }, (_, i) => trackIds[i % trackIds.length]).join(',');
      expect((await api.get(`/tracks?ids=${tooMany}`)).status).toBe(400);

      for (const path of ['/tracks/tr_missing', '/tracks/tr_missing/stream', '/albums/al_missing', '/artists/ar_missing']) {
        const response = await api.get(path);
        expect(response.status, path).toBe(404);
        expect(response.body).toMatchObject({ error: { code: 'not_found' } });
      }
    });

    it('streams audio from a presigned URL that honours Range requests', async () => {
      const stream = await api.get<{ url: string; expiresAt: string }>(`/tracks/${trackIds[0]}/stream`);
      expect(stream.status).toBe(200);
      expect(Date.parse(stream.body.expiresAt)).toBeGreaterThan(Date.now());

      const whole = await fetch(stream.body.url);
      expect(whole.status).toBe(200);
      const bytes = Buffer.from(await whole.arrayBuffer());
      expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');

      const part = await fetch(stream.body.url, { headers: { range: 'bytes=1000-1999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    });

    it('serves the shuffled home feed, its covers fetchable', async () => {
      const home = await api.get<{ generatedAt: string; tracks: TrackView[] }>('/home');
      expect(home.status).toBe(200);
      expect(home.body.tracks.length).toBeGreaterThan(0);
      expect(home.body.tracks.every((t) => trackIds.includes(t.id))).toBe(true);
      const coverUrl = home.body.tracks.find((t) => t.coverUrl)?.coverUrl;
      expect(coverUrl).toBeDefined();
      expect((await fetch(coverUrl!)).status).toBe(200);
    });

    it('searches the catalog by name and suggests as you type, covers fetchable', async () => {
      type Found = { tracks: TrackView[]; albums: { name: string; coverUrl?: string }[]; artists: { name: string }[] };
      const found = await api.get<Found>('/search?q=night%20owls');
      expect(found.status).toBe(200);
      expect(found.body.artists.map((a) => a.name)).toContain('The Night Owls');
      expect(found.body.tracks.length).toBeGreaterThan(0);
      const coverUrl = found.body.albums.find((a) => a.coverUrl)?.coverUrl;
      expect(coverUrl).toBeDefined();
      expect((await fetch(coverUrl!)).status).toBe(200);

      const suggested = await api.get<{ suggestions: { text: string }[] }>('/search/suggest?q=the%20nigh');
      expect(suggested.status).toBe(200);
      expect(suggested.body.suggestions.map((s) => s.text)).toContain('The Night Owls');
      expect((await api.get('/search?q=owls&limit=0')).body).toMatchObject({ error: { code: 'invalid_input', field: 'limit' } });
    });

    it('refuses missing, malformed and forged tokens like the API Gateway authorizer', async () => {
      // Signed with a key the auth server never published, but otherwise a perfect token (even the kid).
      const { privateKey } = await generateKeyPair('RS256');
      const jwks = (await new ApiClient(target().auth).get<{ keys: { kid: string }[] }>('/.well-known/jwks.json')).body;
      const kid = jwks.keys[0]!.kid;
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(target().auth)
        .setAudience(apiAudience)
        .setSubject('someone-else')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);

      for (const token of [undefined, '', 'not.a.jwt', forged]) {
        for (const path of ['/tracks', `/tracks/${trackIds[0]}/stream`, '/albums', '/home']) {
          const response = await api.as(token).get(path);
          expect(response.status, `${path} with ${token === forged ? 'a forged token' : JSON.stringify(token)}`).toBe(401);
          expect(response.body).toMatchObject({ error: { code: 'unauthorized' } });
        }
      }
      expect((await fetch(`${target().api}/health`)).status).toBe(200);
    });
  });
}
