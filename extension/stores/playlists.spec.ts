import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { errorBody, jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, makePlaylist, signedInEachTest, type SeenRequest } from '@@/test/extension/popup-fakes';
import type { Playlist } from '@@/shared/api';
import { playlistsCacheItem } from '@/utils/popup-cache';
import { HELD_KEY_LIFETIME_MS } from '@/api/unfinished-actions';
import { MAX_ATTEMPTS } from '@/api/write-retry';
import { usePlaylistDetailStore } from './playlist-detail';
import { usePlaylistsStore } from './playlists';

describe('playlists store', () => {
  signedInEachTest({ pinia: true });

  /** Runs a store action to its end, retry waits included. */
  async function settle<T>(action: Promise<T>): Promise<T> {
    await vi.runAllTimersAsync();
    return action;
  }

  /**
   * A server that creates each playlist once per Idempotency-Key and answers a repeat with the
   * first answer, as the API does (even when that playlist has been deleted since), and loses
   * every answer while `reachable` is false.
   */
  function playlistServer() {
    const ids = ['pl_made_1', 'pl_made_2', 'pl_made_3', 'pl_made_4'];
    const state = { reachable: false, byKey: new Map<string, Playlist>(), live: new Map<string, Playlist>() };
    const gone = () => jsonResponse(404, errorBody('not_found', 'Playlist not found'));
    const routes: Record<string, unknown> = {
      'GET /playlists': () => jsonResponse(200, { items: [...state.live.values()] }),
      'POST /playlists': ({ headers, body }: SeenRequest) => {
        const key = headers['idempotency-key']!;
        if (!state.byKey.has(key)) {
          const made = makePlaylist({ id: ids[state.byKey.size], name: (body as { name: string }).name });
          state.byKey.set(key, made);
          state.live.set(made.id, made);
        }
        if (!state.reachable) throw new TypeError('Failed to fetch');
        return jsonResponse(201, state.byKey.get(key));
      },
    };
    for (const id of ids) {
      routes[`GET /playlists/${id}`] = () => (state.live.has(id) ? jsonResponse(200, state.live.get(id)) : gone());
      routes[`DELETE /playlists/${id}`] = () => (state.live.delete(id) ? new Response(null, { status: 204 }) : gone());
    }
    const seen = fakeApi(routes);
    const keys = () => seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    return { state, seen, keys };
  }

  /** The popup closed (on any click elsewhere) and opened again: a new store over the same storage. */
  function reopenPopup() {
    setActivePinia(createPinia());
    return usePlaylistsStore();
  }

  it('paints the cached list first, then follows the cursor and caches the fresh list', async () => {
    await playlistsCacheItem.setValue({ value: [makePlaylist({ name: 'Cached' })], fetchedAt: 1 });
    const pages = [makePlaylist(), makePlaylist()];
    const seen = fakeApi({
      'GET /playlists': ({ path }: SeenRequest) =>
        jsonResponse(200, path.includes('cursor=c1') ? { items: [pages[1]] } : { items: [pages[0]], cursor: 'c1' }),
    });
    const store = usePlaylistsStore();
    await store.restoreCached();
    expect(store.items.map((p) => p.name)).toEqual(['Cached']);
    expect(seen).toHaveLength(0);

    await store.refresh();
    expect(store.items.map((p) => p.id)).toEqual(pages.map((p) => p.id));
    expect((await playlistsCacheItem.getValue())?.value).toHaveLength(2);
  });

  it('creates, renames (retrying once after a 409) and deletes', async () => {
    const created = makePlaylist({ name: 'Road trip', version: 1 });
    let patches = 0;
    const seen = fakeApi({
      'POST /playlists': () => jsonResponse(201, created),
      [`GET /playlists/${created.id}`]: { ...created, version: 2 },
      [`PATCH /playlists/${created.id}`]: () =>
        ++patches === 1
          ? jsonResponse(409, errorBody('version_conflict', 'Changed elsewhere'))
          : jsonResponse(200, { ...created, name: 'Long drive', version: 3 }),
      [`DELETE /playlists/${created.id}`]: () => new Response(null, { status: 204 }),
    });
    const store = usePlaylistsStore();

    await store.create('  Road trip ');
    expect(seen[0]!.body).toEqual({ name: 'Road trip' });
    expect(store.items[0]!.id).toBe(created.id);

    await store.rename(created.id, 'Long drive');
    expect(seen.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([
      { name: 'Long drive', version: 1 },
      { name: 'Long drive', version: 2 },
    ]);
    expect(store.items[0]).toMatchObject({ name: 'Long drive', version: 3 });

    await expect(store.remove(created.id)).resolves.toBe(true);
    expect(store.items).toEqual([]);
  });

  it('adds tracks and bumps the count; keeps the server’s words on failure', async () => {
    const playlist = makePlaylist({ entryCount: 1 });
    const tracks = makeTracks(2);
    fakeApi({
      'GET /playlists': { items: [playlist] },
      [`POST /playlists/${playlist.id}/entries`]: () => jsonResponse(201, { items: makeEntries(tracks) }),
      'POST /playlists': () => jsonResponse(400, errorBody('invalid_input', 'Name is too long.', 'name')),
    });
    const store = usePlaylistsStore();
    await store.refresh();

    await expect(store.addTracks(playlist.id, tracks)).resolves.toBe(2);
    expect(store.items[0]!.entryCount).toBe(3);

    await expect(store.create('x'.repeat(500))).resolves.toBeUndefined();
    expect(store.error).toBe('Name is too long.');
  });

  it('says so when the backend is unreachable', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const store = usePlaylistsStore();
    await store.refresh();
    expect(store.error).toMatch(/Can't reach Alktunes/);
  });

  it('creates a playlist once when the listener tries again after every try went unanswered', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    const store = usePlaylistsStore();

    await expect(settle(store.create('Road trip'))).resolves.toBeUndefined();
    expect(store.error).toMatch(/Can't reach Alktunes/);
    expect(server.keys()).toHaveLength(MAX_ATTEMPTS);

    server.state.reachable = true;
    const playlist = await settle(store.create(' Road trip'));
    expect(playlist?.id).toBe('pl_made_1');
    expect(server.state.byKey.size).toBe(1);
    expect(new Set(server.keys()).size).toBe(1);
    expect(store.items.map((p) => p.id)).toEqual([playlist!.id]);
    expect(store.error).toBeNull();

    await settle(store.create('Road trip'));
    expect(server.state.byKey.size).toBe(2);
  });

  it('says how far an add got; trying again finishes it once and reads the count from the server', async () => {
    const playlist = makePlaylist({ entryCount: 5 });
    const tracks = makeTracks(3);
    let down = true;
    let stored = 0;
    const keys = new Set<string>();
    fakeApi({
      'GET /playlists': { items: [playlist] },
      [`GET /playlists/${playlist.id}`]: () => jsonResponse(200, { ...playlist, entryCount: 5 + stored }),
      [`POST /playlists/${playlist.id}/entries`]: ({ headers }: SeenRequest) => {
        keys.add(headers['idempotency-key']!);
        if (down) {
          stored = 2;
          return jsonResponse(503, { error: { code: 'unavailable', message: 'Try later', added: 2, requested: 3 } });
        }
        stored = 3;
        return jsonResponse(201, { items: makeEntries(tracks) });
      },
    });
    const store = usePlaylistsStore();
    await store.refresh();
    vi.useFakeTimers();

    await expect(settle(store.addTracks(playlist.id, tracks))).resolves.toBe(0);
    expect(store.error).toBe('Only 2 of 3 tracks were added. Try again to add the rest.');
    expect(store.byId.get(playlist.id)!.entryCount).toBe(7);

    down = false;
    await expect(settle(store.addTracks(playlist.id, tracks))).resolves.toBe(3);
    expect(store.byId.get(playlist.id)!.entryCount).toBe(8);
    expect(keys.size).toBe(1);
    expect(store.error).toBeNull();
  });

  it('shows a reused key as an error and gives the next try a new key', async () => {
    const playlist = makePlaylist();
    const seen = fakeApi({
      [`POST /playlists/${playlist.id}/entries`]: () =>
        jsonResponse(422, errorBody('idempotency_key_reused', 'This Idempotency-Key was used for another request.')),
    });
    const store = usePlaylistsStore();
    const tracks = makeTracks(1);

    await expect(store.addTracks(playlist.id, tracks)).resolves.toBe(0);
    expect(store.error).toBe('This Idempotency-Key was used for another request.');
    await store.addTracks(playlist.id, tracks);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.headers['idempotency-key']).not.toBe(seen[0]!.headers['idempotency-key']);
  });

  it('keeps the key of a create that got no answer when the popup closes, and sends it again from the reopened popup', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    await settle(usePlaylistsStore().create('Road trip'));

    server.state.reachable = true;
    const store = reopenPopup();
    const playlist = await settle(store.create('Road trip'));

    expect(new Set(server.keys()).size).toBe(1);
    expect(server.state.byKey.size).toBe(1);
    expect(playlist?.id).toBe('pl_made_1');
    expect(store.items.map((p) => p.id)).toEqual(['pl_made_1']);
  });

  it('gives up a held key after 23 hours, before the server forgets it', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    await settle(usePlaylistsStore().create('Road trip'));
    server.state.reachable = true;

    vi.setSystemTime(Date.now() + HELD_KEY_LIFETIME_MS - 60_000);
    await settle(reopenPopup().create('Road trip'));
    await settle(reopenPopup().create('Road trip'));
    expect(new Set(server.keys()).size).toBe(2);

    server.state.reachable = false;
    await settle(reopenPopup().create('Jazz'));
    vi.setSystemTime(Date.now() + HELD_KEY_LIFETIME_MS + 60_000);
    server.state.reachable = true;
    await settle(reopenPopup().create('Jazz'));
    expect(new Set(server.keys()).size).toBe(4);
  });

  it('does not replay a created playlist the listener deleted since: the same name again makes a new one', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    await settle(usePlaylistsStore().create('Road trip'));

    // The create had landed: the reopened popup lists it, and the listener deletes it.
    server.state.reachable = true;
    const store = reopenPopup();
    await store.refresh();
    expect(store.items.map((p) => p.id)).toEqual(['pl_made_1']);
    await settle(store.remove('pl_made_1'));

    const again = await settle(store.create('Road trip'));
    expect(again?.id).toBe('pl_made_2');
    expect(store.items.map((p) => p.id)).toEqual(['pl_made_2']);
    expect(server.state.live.has('pl_made_2')).toBe(true);
  });

  it('does not replay a created playlist that was deleted elsewhere or renamed since', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    await settle(usePlaylistsStore().create('Road trip'));
    server.state.live.delete('pl_made_1');

    server.state.reachable = true;
    const store = reopenPopup();
    const again = await settle(store.create('Road trip'));
    expect(again?.id).toBe('pl_made_2');
    expect(store.items.map((p) => p.id)).toEqual(['pl_made_2']);

    server.state.reachable = false;
    await settle(store.create('Jazz'));
    server.state.live.set('pl_made_3', { ...server.state.live.get('pl_made_3')!, name: 'Cool jazz' });
    server.state.reachable = true;
    const jazz = await settle(store.create('Jazz'));
    expect(jazz).toMatchObject({ id: 'pl_made_4', name: 'Jazz' });
    expect(new Set(server.keys()).size).toBe(4);
  });

  it('gives a new key to an action the server refused (a definitive 4xx): only an unknown outcome keeps one', async () => {
    let answer = () => jsonResponse(429, errorBody('rate_limited', 'Too many requests'));
    const seen = fakeApi({ 'POST /playlists': () => answer() });
    const store = usePlaylistsStore();

    await expect(store.create('Road trip')).resolves.toBeUndefined();
    answer = () => jsonResponse(201, makePlaylist({ name: 'Road trip' }));
    await store.create('Road trip');
    await store.create('Road trip');

    const keys = seen.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
  });

  it('reads the count again after an add that got no answer on any try (it may have landed)', async () => {
    const playlist = makePlaylist({ entryCount: 5 });
    const tracks = makeTracks(2);
    let stored = 0;
    fakeApi({
      'GET /playlists': { items: [playlist] },
      [`GET /playlists/${playlist.id}`]: () => jsonResponse(200, { ...playlist, entryCount: 5 + stored, version: 2 }),
      [`POST /playlists/${playlist.id}/entries`]: () => {
        stored = 2;
        throw new TypeError('Failed to fetch');
      },
    });
    const store = usePlaylistsStore();
    await store.refresh();
    vi.useFakeTimers();

    await expect(settle(store.addTracks(playlist.id, tracks))).resolves.toBe(0);
    expect(store.error).toMatch(/Can't reach Alktunes/);
    expect(store.byId.get(playlist.id)).toMatchObject({ entryCount: 7, version: 2 });
  });

  it('forgets the key of an unfinished add once the listener removed entries of that playlist by hand', async () => {
    const playlist = makePlaylist({ entryCount: 1 });
    const [kept] = makeEntries(makeTracks(1));
    const tracks = makeTracks(2);
    let reachable = false;
    const seen = fakeApi({
      'GET /playlists': { items: [playlist] },
      [`GET /playlists/${playlist.id}/entries`]: { items: [kept] },
      [`DELETE /playlists/${playlist.id}/entries/${kept!.id}`]: () => new Response(null, { status: 204 }),
      [`POST /playlists/${playlist.id}/entries`]: () => {
        if (!reachable) throw new TypeError('Failed to fetch');
        return jsonResponse(201, { items: makeEntries(tracks) });
      },
    });
    const store = usePlaylistsStore();
    await store.refresh();
    vi.useFakeTimers();
    await settle(store.addTracks(playlist.id, tracks));

    reachable = true;
    const detail = usePlaylistDetailStore();
    await settle(detail.open(playlist.id));
    await settle(detail.removeAt(0));
    await settle(store.addTracks(playlist.id, tracks));

    const keys = seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);
  });

  it('forgets held keys at sign-out', async () => {
    const server = playlistServer();
    vi.useFakeTimers();
    const store = usePlaylistsStore();
    await settle(store.create('Road trip'));
    await store.clear();

    server.state.reachable = true;
    await settle(reopenPopup().create('Road trip'));
    expect(new Set(server.keys()).size).toBe(2);
  });

  it('says it is trying again while a retry is on its way', async () => {
    const playlist = makePlaylist();
    let adds = 0;
    fakeApi({
      [`POST /playlists/${playlist.id}/entries`]: () => {
        if (++adds === 1) throw new TypeError('Failed to fetch');
        return jsonResponse(201, { items: makeEntries(makeTracks(1)) });
      },
    });
    vi.useFakeTimers();
    const store = usePlaylistsStore();

    const adding = store.addTracks(playlist.id, makeTracks(1));
    expect(store.sending).toBe('Adding…');
    await vi.advanceTimersByTimeAsync(1);
    expect(store.sending).toBe('Trying again…');
    await expect(settle(adding)).resolves.toBe(1);
    expect(store.sending).toBeNull();
  });
});
