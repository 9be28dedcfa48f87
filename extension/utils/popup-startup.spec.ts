import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeSignedIn } from '@@/test/extension/factories';
import { makeFeed, makePlaylist } from '@@/test/extension/popup-fakes';
import { useHomeStore } from '@/stores/home';
import { useLikesStore } from '@/stores/likes';
import { usePlayerViewStore } from '@/stores/player-view';
import { usePlaylistsStore } from '@/stores/playlists';
import { usePopupStore } from '@/stores/popup';
import { useSessionStore } from '@/stores/session';
import { useViewStore } from '@/stores/view';
import { IDLE_PLAYER_STATE, playerStateItem } from '@/player/player-state';
import { homeCacheItem, likedIdsCacheItem, playlistsCacheItem, viewCacheItem } from './popup-cache';
import { readStartupState } from './popup-startup';
import { writeSession } from '@/api/session-storage';

async function storeEverything() {
  const session = { ...makeSignedIn(), expiresAt: Date.now() + 600_000 };
  const feed = makeFeed(3);
  const playlists = [makePlaylist(), makePlaylist()];
  await writeSession(session);
  await homeCacheItem.setValue({ value: feed, fetchedAt: 11 });
  await playlistsCacheItem.setValue({ value: playlists, fetchedAt: 12 });
  await viewCacheItem.setValue({ tab: 'playlists', detail: { kind: 'album', id: 'alb_1', title: 'Blue' } });
  await likedIdsCacheItem.setValue({ value: [feed.tracks[2]!.id], fetchedAt: 13 });
  return { session, feed, playlists };
}

describe('popup startup', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    usePlayerViewStore().dispose();
    vi.unstubAllGlobals();
  });

  it('reads the session and every cached item the stores define, with one storage.local.get', async () => {
    const stored = await storeEverything();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');

    const state = await readStartupState();

    expect(get).toHaveBeenCalledTimes(1);
    expect(state).toEqual({
      session: stored.session,
      home: { value: stored.feed, fetchedAt: 11 },
      playlists: { value: stored.playlists, fetchedAt: 12 },
      view: { tab: 'playlists', detail: { kind: 'album', id: 'alb_1', title: 'Blue' } },
      likes: { value: [stored.feed.tracks[2]!.id], fetchedAt: 13 },
      player: null,
    });
  });

  it('reads everything with a single storage call', async () => {
    await storeEverything();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    await readStartupState();
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('answers nulls when nothing is stored', async () => {
    await expect(readStartupState()).resolves.toEqual({
      session: null,
      home: null,
      playlists: null,
      view: null,
      likes: null,
      player: null,
    });
  });

  it('puts the cached state in the stores before any request, then refreshes after the first paint', async () => {
    const stored = await storeEverything();
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue: stored.feed.tracks, index: 1 });
    const fetch = vi.fn<typeof globalThis.fetch>(() => new Promise<Response>(() => {}));
    vi.stubGlobal('fetch', fetch);
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => frames.push(run));

    await usePopupStore().start(readStartupState());

    expect(usePopupStore().painted).toBe(true);
    expect(useSessionStore().user).toEqual(stored.session.user);
    expect(useHomeStore().feed).toEqual(stored.feed);
    expect(usePlaylistsStore().items).toEqual(stored.playlists);
    expect(useViewStore().tab).toBe('playlists');
    expect(useViewStore().stack).toEqual([{ kind: 'album', id: 'alb_1', title: 'Blue' }]);
    expect(usePlayerViewStore().track?.id).toBe(stored.feed.tracks[1]!.id);
    expect([...useLikesStore().ids]).toEqual([stored.feed.tracks[2]!.id]);
    expect(fetch).not.toHaveBeenCalled();

    // The frame is painted: only now do the feed, the playlists and the liked ids go to the network.
    frames.splice(0).forEach((run) => run(0));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(3));
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).pathname).sort()).toEqual(['/home', '/me/likes/ids', '/playlists']);
    expect(useHomeStore().loading).toBe(true);
    expect(usePlaylistsStore().loading).toBe(true);
  });

  it('paints the sign-in form when signed out, ignoring a stale cache', async () => {
    await homeCacheItem.setValue({ value: makeFeed(2), fetchedAt: 1 });
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);

    await usePopupStore().start();

    expect(usePopupStore().painted).toBe(true);
    expect(useSessionStore().signedIn).toBe(false);
    expect(useHomeStore().feed).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('follows a sign-in made elsewhere once started', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>(() => {})),
    );
    await usePopupStore().start();
    const feed = makeFeed(2);
    await homeCacheItem.setValue({ value: feed, fetchedAt: 5 });

    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 600_000 });

    await vi.waitFor(() => expect(useHomeStore().feed).toEqual(feed));
    expect(useSessionStore().signedIn).toBe(true);
  });
});
