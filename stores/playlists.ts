import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Track } from '@/backend/domain/catalog';
import { describeError } from '@/utils/describe-error';
import { playlistsCacheItem, type Cached } from '@/utils/popup-cache';
import { createPlaylistsService, type PlaylistSummary } from '@/utils/playlists-service';

/** The listener's playlists: listed, created, renamed, deleted, and added to. */
export const usePlaylistsStore = defineStore('playlists', () => {
  /** Playlists, newest change first as the API lists them; painted from the cache first. */
  const items = shallowRef<PlaylistSummary[]>([]);
  /** When `items` was fetched (epoch ms); null until anything is known. */
  const fetchedAt = ref<number | null>(null);
  /** True while the list is being fetched. */
  const loading = ref(false);
  /** Words for the last failed request. */
  const error = ref<string | null>(null);
  /** Tracks waiting for the listener to pick a playlist ("add to playlist" dialog). */
  const pendingTracks = shallowRef<Track[] | null>(null);

  const byId = computed(() => new Map(items.value.map((p) => [p.id, p])));
  const service = () => createPlaylistsService();

  async function persist(): Promise<void> {
    await playlistsCacheItem.setValue({ value: items.value, fetchedAt: fetchedAt.value ?? Date.now() });
  }

  function replace(playlist: PlaylistSummary): void {
    items.value = items.value.map((p) => (p.id === playlist.id ? playlist : p));
  }

  /** Paints an already-read cached list (the popup reads all its state at once on open). */
  function hydrate(cached: Cached<PlaylistSummary[]> | null): void {
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

  /** Creates a playlist and lists it first. */
  function create(name: string): Promise<PlaylistSummary | undefined> {
    return attempt(async () => {
      const playlist = await service().create(name.trim());
      items.value = [playlist, ...items.value];
      return playlist;
    }, "Couldn't create the playlist.");
  }

  function rename(id: string, name: string): Promise<PlaylistSummary | undefined> {
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
      return true;
    }, "Couldn't delete the playlist.");
    return done === true;
  }

  /** Appends tracks to a playlist and bumps its count; resolves to how many were added. */
  async function addTracks(id: string, tracks: Track[]): Promise<number> {
    const added = await attempt(() => service().addTracks(id, tracks.map((t) => t.id)), "Couldn't add to the playlist.");
    if (!added) return 0;
    const current = byId.value.get(id);
    if (current) replace({ ...current, entryCount: current.entryCount + added.length, version: current.version + 1 });
    await persist();
    return added.length;
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

  function clear(): void {
    items.value = [];
    fetchedAt.value = null;
    error.value = null;
    pendingTracks.value = null;
  }

  return {
    items, fetchedAt, loading, error, pendingTracks, byId,
    hydrate, restoreCached, refresh, create, rename, remove, addTracks, setEntryCount, pick, clear,
  };
});
