import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeTracks } from '@/test/extension/factories';
import { fakeApi, makeEntries, makePlaylist, signIn, type SeenRequest } from '@/test/extension/popup-fakes';
import { playlistsCacheItem } from '@/utils/popup-cache';
import { usePlaylistsStore } from './playlists';

describe('playlists store', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
    await signIn();
  });
  afterEach(() => vi.unstubAllGlobals());

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
});
