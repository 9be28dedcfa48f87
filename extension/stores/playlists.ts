import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Track } from '@@/shared/api';
import { ApiError } from '@/api/api-client';
import { describeError } from '@/utils/describe-error';
import { playlistsCacheItem, type Cached, type CachedPlaylist } from '@/utils/popup-cache';
import type { Playlist, PlaylistImport } from '@@/shared/api';
import { createPlaylistsService, type WriteAction } from '@/api/playlists-service';
import { holdKey, releaseAllKeys, releaseKey, releasePlaylistKeys, type KeyedAction } from '@/api/unfinished-actions';
import { mayHaveLanded } from '@/api/write-retry';

/** The listener's playlists: listed, created, renamed, deleted, added to, and the last one imported. */
export const usePlaylistsStore = defineStore('playlists', () => {
  /** Playlists, newest change first as the API lists them; painted from the cache first (so typed as it holds them). */
  const items = shallowRef<CachedPlaylist[]>([]);
  /** When `items` was fetched (epoch ms); null until anything is known. */
  const fetchedAt = ref<number | null>(null);
  /** True while the list is being fetched. */
  const loading = ref(false);
  /** Words for the last failed request. */
  const error = ref<string | null>(null);
  /** Tracks waiting for the listener to pick a playlist ("add to playlist" dialog). */
  const pendingTracks = shallowRef<Track[] | null>(null);
  /** Words while a create or an add is on its way; they change when a try failed and it is sent again. */
  const sending = ref<string | null>(null);
  /** The last import's outcome, shown over the playlist it made until dismissed. */
  const lastImport = shallowRef<PlaylistImport | null>(null);

  const byId = computed(() => new Map(items.value.map((p) => [p.id, p])));
  const service = () => createPlaylistsService();

  async function persist(): Promise<void> {
    await playlistsCacheItem.setValue({ value: items.value, fetchedAt: fetchedAt.value ?? Date.now() });
  }

  function replace(playlist: CachedPlaylist): void {
    items.value = items.value.map((p) => (p.id === playlist.id ? playlist : p));
  }

  /** Paints an already-read cached list (the popup reads all its state at once on open). */
  function hydrate(cached: Cached<CachedPlaylist[]> | null): void {
    if (cached && fetchedAt.value === null) {
      items.value = cached.value;
      fetchedAt.value = cached.fetchedAt;
    }
  }

  /** Paints the cached list without touching the network. */
  async function restoreCached(): Promise<void> {
    hydrate(await playlistsCacheItem.getValue());
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      items.value = await service().list();
      fetchedAt.value = Date.now();
      await persist();
    } catch (cause) {
      error.value = describeError(cause, "Couldn't load your playlists.");
    } finally {
      loading.value = false;
    }
  }

  /** Runs a change, keeping its failure in `error`; resolves to undefined when it failed. */
  async function attempt<T>(run: () => Promise<T>, fallback: string): Promise<T | undefined> {
    error.value = null;
    try {
      const result = await run();
      await persist();
      return result;
    } catch (cause) {
      error.value = describeError(cause, fallback);
      return undefined;
    }
  }

  /**
   * Sends one listener action with its key (see `unfinished-actions.ts`), showing `words` while it
   * is on its way and "trying again" while it retries. Resolves to its result, or to the cause when
   * it failed for good (then `error` says why); `repeat` tells whether it went with the key of an
   * earlier failed try, and `unknown` whether a failure may have landed (the key is then kept).
   */
  async function sendAction<T>(action: KeyedAction, words: string, run: (action: WriteAction) => Promise<T>, fallback: string) {
    error.value = null;
    sending.value = words;
    const onRetry = () => (sending.value = 'Trying again…');
    try {
      const { key, repeat } = await holdKey(action);
      try {
        const result = await run({ key, onRetry });
        await releaseKey(action);
        return { result, repeat, unknown: false };
      } catch (cause) {
        const unknown = mayHaveLanded(cause);
        if (!unknown) await releaseKey(action);
        error.value = describeError(cause, fallback);
        return { cause, repeat, unknown };
      }
    } finally {
      sending.value = null;
    }
  }

  /**
   * The playlist a create sent with an earlier try's key was answered with, as it is now; undefined
   * when it has been deleted or renamed since. The server answers such a key with the playlist it
   * first made whatever became of it, and the listener asked for a playlist of that name.
   */
  async function stillAsCreated(answered: Playlist): Promise<Playlist | undefined> {
    try {
      const current = await service().get(answered.id);
      return current.name === answered.name ? current : undefined;
    } catch (cause) {
      return cause instanceof ApiError && cause.status === 404 ? undefined : answered;
    }
  }

  /** Creates a playlist and lists it first (once, however often the listener has to try). */
  async function create(name: string): Promise<Playlist | undefined> {
    const trimmed = name.trim();
    const sent = await sendAction(
      { kind: 'create', name: trimmed },
      'Creating…',
      (action) => service().create(trimmed, action),
      "Couldn't create the playlist.",
    );
    let playlist = sent.result;
    if (playlist && sent.repeat) {
      playlist = await stillAsCreated(playlist);
      // Its key is released by now: this create goes with a new one.
      if (!playlist) return create(trimmed);
    }
    if (!playlist) return undefined;
    items.value = [playlist, ...items.value.filter((p) => p.id !== playlist.id)];
    await persist();
    return playlist;
  }

  function rename(id: string, name: string): Promise<Playlist | undefined> {
    const current = byId.value.get(id);
    if (!current) return Promise.resolve(undefined);
    return attempt(async () => {
      const renamed = await service().rename(id, name.trim(), current.version);
      replace(renamed);
      return renamed;
    }, "Couldn't rename the playlist.");
  }

  async function remove(id: string): Promise<boolean> {
    const done = await attempt(async () => {
      await service().remove(id);
      items.value = items.value.filter((p) => p.id !== id);
      await releasePlaylistKeys(id);
      return true;
    }, "Couldn't delete the playlist.");
    return done === true;
  }

  /**
   * Appends tracks to a playlist and bumps its count; resolves to how many were added, 0 when it
   * failed (then `error` says so, and how far a long add got).
   */
  async function addTracks(id: string, tracks: Track[]): Promise<number> {
    const trackIds = tracks.map((t) => t.id);
    const sent = await sendAction(
      { kind: 'add', playlistId: id, trackIds },
      'Adding…',
      (action) => service().addTracks(id, trackIds, action),
      "Couldn't add to the playlist.",
    );
    const added = sent.result;
    const partly = sent.cause instanceof ApiError ? sent.cause.details : {};
    if (typeof partly.added === 'number' && partly.added > 0) {
      error.value = `Only ${partly.added} of ${trackIds.length} tracks were added. Try again to add the rest.`;
    }
    const current = byId.value.get(id);
    if (added && current && !sent.repeat) {
      replace({ ...current, entryCount: current.entryCount + added.length, version: current.version + 1 });
      await persist();
    } else if (current && (added || partly.added || sent.unknown)) {
      // Some or all of it landed on an earlier try or this one, or may have: only the server knows the count now.
      await reload(id);
    }
    return added?.length ?? 0;
  }

  /** Lists the playlist an import made first, and keeps the import's outcome to show over it. */
  async function showImported(imported: PlaylistImport): Promise<void> {
    lastImport.value = imported;
    items.value = [imported.playlist, ...items.value.filter((p) => p.id !== imported.playlist.id)];
    await persist();
  }

  /** Reads one playlist again (best effort: the list keeps what it had when that fails). */
  async function reload(id: string): Promise<void> {
    try {
      replace(await service().get(id));
      await persist();
    } catch {
      // The count corrects itself on the next refresh.
    }
  }

  /** Keeps a playlist's count in step after the detail view changed it. */
  function setEntryCount(id: string, entryCount: number): void {
    const current = byId.value.get(id);
    if (current && current.entryCount !== entryCount) {
      replace({ ...current, entryCount });
      void persist();
    }
  }

  /** Opens the "add to playlist" dialog for `tracks`; `null` closes it. */
  function pick(tracks: Track[] | null): void {
    pendingTracks.value = tracks;
  }

  /** Forgets the signed-out listener's playlists and held keys; resolves once the keys are gone. */
  function clear(): Promise<void> {
    items.value = [];
    fetchedAt.value = null;
    error.value = null;
    pendingTracks.value = null;
    lastImport.value = null;
    return releaseAllKeys();
  }

  return {
    items,
    fetchedAt,
    loading,
    error,
    pendingTracks,
    sending,
    lastImport,
    byId,
    hydrate,
    restoreCached,
    refresh,
    create,
    rename,
    remove,
    addTracks,
    showImported,
    setEntryCount,
    pick,
    clear,
  };
});
