/*
 * The playlists API over real HTTP: auth server → gateway (JWT authorizer) → handlers → DynamoDB,
 * the way the extension reaches it; run against the handlers built from source (integration) and
 * against the synthesized Lambda bundles (deploy rehearsal).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allEntries, ApiClient, catalogTrackIds, signUp, type EntryView, type Page } from './api-client';
import type { GatewayTarget } from './gateway-catalog-contract';

interface PlaylistView {
  id: string;
  name: string;
  description: string;
  entryCount: number;
  version: number;
}

/** Registers the playlists contract; `target` is read in `beforeAll`. */
export function describePlaylistsContract(target: () => GatewayTarget) {
  describe('playlists through the gateway', () => {
    let alice: ApiClient;
    let bob: ApiClient;
    let aliceToken: string;
    let trackIds: string[];

    beforeAll(async () => {
      const [a, b] = await Promise.all([signUp(target().auth, 'alice'), signUp(target().auth, 'bob')]);
      aliceToken = a.accessToken;
      alice = new ApiClient(target().api, aliceToken);
      bob = alice.as(b.accessToken);
      trackIds = await catalogTrackIds(alice);
    });

    async function createPlaylist(api: ApiClient, name: string): Promise<PlaylistView> {
      const response = await api.post<PlaylistView>('/playlists', { name });
      expect(response.status).toBe(201);
      return response.body;
    }

    async function addEntries(api: ApiClient, playlistId: string, ids: string[], position?: unknown): Promise<EntryView[]> {
      const response = await api.post<Page<EntryView>>(`/playlists/${playlistId}/entries`, { trackIds: ids, position });
      expect(response.status).toBe(201);
      return response.body.items;
    }

    it('runs a playlist through its whole life', async () => {
      const created = await createPlaylist(alice, '  Long drive  ');
      expect(created).toMatchObject({ name: 'Long drive', description: '', entryCount: 0, version: 1 });
      const path = `/playlists/${created.id}`;

      const renamed = await alice.patch<PlaylistView>(path, { name: 'Longer drive', description: 'A1 north', version: 1 });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Longer drive', description: 'A1 north', version: 2 });

      const [first, second, third] = await addEntries(alice, created.id, trackIds.slice(0, 3));
      expect(first!.track).toMatchObject({ id: trackIds[0] });
      const [opener] = await addEntries(alice, created.id, [trackIds[3]!], 'start');
      const moved = await alice.patch<EntryView>(`${path}/entries/${third!.id}`, { before: first!.id });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ id: third!.id, trackId: trackIds[2] });
      expect((await alice.delete(`${path}/entries/${second!.id}`)).status).toBe(204);
      expect((await alice.delete(`${path}/entries/${second!.id}`)).status).toBe(404);

      const entries = await allEntries(alice, created.id, 2);
      expect(entries.map((e) => e.id)).toEqual([opener!.id, third!.id, first!.id]);
      // Entries carry their tracks' presigned covers, which the signer must be allowed to read.
      const coverUrl = entries.find((e) => e.track?.coverUrl)?.track?.coverUrl;
      expect(coverUrl).toBeDefined();
      expect((await fetch(coverUrl!)).status).toBe(200);
      expect((await alice.get<PlaylistView>(path)).body).toMatchObject({ entryCount: 3, version: 2 });
      const listed = await alice.get<Page<PlaylistView>>('/playlists');
      expect(listed.body.items).toContainEqual(expect.objectContaining({ id: created.id, entryCount: 3 }));

      expect((await alice.delete(path)).status).toBe(204);
      expect((await alice.get(path)).status).toBe(404);
      expect((await alice.get(`${path}/entries`)).status).toBe(404);
      expect((await alice.delete(path)).status).toBe(404);
    });

    it('answers a stale rename with 409 and the current version, and changes nothing', async () => {
      const { id } = await createPlaylist(alice, 'Contested');
      expect((await alice.patch(`/playlists/${id}`, { name: 'First writer', version: 1 })).status).toBe(200);

      const stale = await alice.patch(`/playlists/${id}`, { name: 'Second writer', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ error: { code: 'conflict', currentVersion: 2 } });
      expect((await alice.get(`/playlists/${id}`)).body).toMatchObject({ name: 'First writer', version: 2 });
    });

    it('validates input and respects the cap of trackIds per add', async () => {
      const { id } = await createPlaylist(alice, 'Strict');
      const tooMany = Array.from({ length: 101 }, (_, i) => trackIds[i % trackIds.length]!);
      const capped = await alice.post(`/playlists/${id}/entries`, { trackIds: tooMany });
      expect(capped.status).toBe(400);
      expect(capped.body).toMatchObject({ error: { code: 'invalid_input', field: 'trackIds' } });
      const unknown = await alice.post(`/playlists/${id}/entries`, { trackIds: [trackIds[0], 'tr_nope'] });
      expect(unknown.body).toMatchObject({ error: { code: 'invalid_input', field: 'trackIds.1' } });
      const noAnchor = await alice.post(`/playlists/${id}/entries`, { trackIds: [trackIds[0]], position: { before: 'en_gone' } });
      expect(noAnchor.status).toBe(400);
      expect((await alice.get<PlaylistView>(`/playlists/${id}`)).body.entryCount).toBe(0);
      expect((await alice.request('POST', '/playlists', undefined, { 'content-type': 'text/plain' })).status).toBe(415);
    });

    it('lands 50 concurrent adds exactly once each', async () => {
      const { id } = await createPlaylist(alice, 'Rush hour');
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          alice.post<Page<EntryView>>(`/playlists/${id}/entries`, { trackIds: [trackIds[i % trackIds.length]] }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      const added = responses.map((r) => r.body.items[0]!.id);

      const entries = await allEntries(alice, id, 200);
      expect(entries).toHaveLength(50);
      expect(new Set(entries.map((e) => e.id))).toEqual(new Set(added));
      expect((await alice.get<PlaylistView>(`/playlists/${id}`)).body.entryCount).toBe(50);
    });

    it('answers a retried create or add with the same Idempotency-Key as the first time, writing nothing', async () => {
      const key = { 'idempotency-key': crypto.randomUUID() };
      const first = await alice.request<PlaylistView>('POST', '/playlists', { name: 'Retried' }, key);
      const again = await alice.request<PlaylistView>('POST', '/playlists', { name: 'Retried' }, key);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await alice.request('POST', '/playlists', { name: 'Other' }, key)).status).toBe(422);

      const path = `/playlists/${first.body.id}/entries`;
      const addKey = { 'idempotency-key': crypto.randomUUID() };
      const added = await alice.request<Page<EntryView>>('POST', path, { trackIds: trackIds.slice(0, 2) }, addKey);
      const readded = await alice.request<Page<EntryView>>('POST', path, { trackIds: trackIds.slice(0, 2) }, addKey);
      expect([added.status, readded.status]).toEqual([201, 201]);
      expect(readded.body.items.map((e) => e.id)).toEqual(added.body.items.map((e) => e.id));
      expect((await allEntries(alice, first.body.id)).map((e) => e.id)).toEqual(added.body.items.map((e) => e.id));
      expect((await alice.get<PlaylistView>(`/playlists/${first.body.id}`)).body.entryCount).toBe(2);
      const badKey = await alice.request('POST', path, { trackIds: trackIds.slice(0, 1) }, { 'idempotency-key': 'not a key' });
      expect(badKey.body).toMatchObject({ error: { code: 'invalid_input', field: 'Idempotency-Key' } });
    });

    it('shows another user’s playlist and entries as missing, and lets them change nothing', async () => {
      const { id } = await createPlaylist(alice, 'Private');
      const [entry, other] = await addEntries(alice, id, trackIds.slice(0, 2));
      const path = `/playlists/${id}`;
      const attempts = [
        () => bob.get(path),
        () => bob.get(`${path}/entries`),
        () => bob.patch(path, { name: 'Mine now', version: 1 }),
        () => bob.delete(path),
        () => bob.post(`${path}/entries`, { trackIds: [trackIds[0]] }),
        () => bob.patch(`${path}/entries/${entry!.id}`, { before: null }),
        () => bob.delete(`${path}/entries/${entry!.id}`),
      ];
      for (const attempt of attempts) {
        const response = await attempt();
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ error: { code: 'not_found' } });
      }
      expect((await bob.get<Page<PlaylistView>>('/playlists')).body.items.map((p) => p.id)).not.toContain(id);
      expect((await alice.get(path)).body).toMatchObject({ name: 'Private', version: 1, entryCount: 2 });
      expect((await allEntries(alice, id)).map((e) => e.id)).toEqual([entry!.id, other!.id]);
    });

    it('exports a playlist as a file and imports it back, matching a hand-written line by name', async () => {
      const source = await createPlaylist(alice, 'Exported');
      const order = [trackIds[2]!, trackIds[0]!, trackIds[2]!];
      await addEntries(alice, source.id, order);
      const auth = { authorization: `Bearer ${aliceToken}` };
      const exported = await fetch(`${target().api}/playlists/${source.id}/export?format=m3u8`, { headers: auth });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('audio/x-mpegurl; charset=utf-8');
      expect(exported.headers.get('content-disposition')).toContain('filename="Exported.m3u8"');
      // One more line as another player writes it: no id, the track named by artist and title.
      const named = (await alice.get<{ artist: string; title: string }>(`/tracks/${trackIds[1]}`)).body;
      const file = `${await exported.text()}#EXTINF:200,${named.artist} - ${named.title}\r\nsomewhere/else.mp3\r\n`;
      // Sent as a file, not as text: the gateway hands the body over base64-encoded.
      const imported = await fetch(`${target().api}/playlists/import?name=Imported`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'audio/x-mpegurl' },
        body: file,
      });
      expect(imported.status).toBe(201);
      const answer = (await imported.json()) as { playlist: PlaylistView; matched: number; unmatched: string[] };
      expect(answer).toMatchObject({ matched: 4, unmatched: [], playlist: { name: 'Imported', entryCount: 4 } });
      expect((await allEntries(alice, answer.playlist.id)).map((e) => e.trackId)).toEqual([...order, trackIds[1]]);
      expect((await bob.request('GET', `/playlists/${source.id}/export?format=xspf`)).status).toBe(404);
    });

    it('refuses requests without a token or with a bad one, before any handler runs', async () => {
      const { id } = await createPlaylist(alice, 'Guarded');
      // A real token with its signature altered must fail like no token at all.
      const tampered = `${aliceToken.slice(0, -4)}${aliceToken.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      for (const client of [alice.as(undefined), alice.as('not-a-jwt'), alice.as(tampered)]) {
        for (const [method, path] of [
          ['GET', '/playlists'],
          ['GET', `/playlists/${id}`],
          ['POST', '/playlists'],
          ['DELETE', `/playlists/${id}`],
        ] as const) {
          const response = await client.request(method, path, method === 'POST' ? { name: 'x' } : undefined);
          expect(response.status, `${method} ${path}`).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer');
        }
      }
      expect((await alice.get(`/playlists/${id}`)).status).toBe(200);
    });
  });
}
