import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AlbumDetail, ArtistDetail } from '@@/shared/api';
import { createBrowseService } from '@/api/browse-service';
import { describeError } from '@/utils/describe-error';

/** The album or artist open in a detail view, with the ones already seen kept for going back. */
export const useBrowseStore = defineStore('browse', () => {
  /** Albums fetched this popup session, by id. */
  const albums = shallowRef(new Map<string, AlbumDetail>());
  /** Artists fetched this popup session, by id. */
  const artists = shallowRef(new Map<string, ArtistDetail>());
  /** Id being fetched, if any. */
  const loadingId = ref<string | null>(null);
  /** Words for the last failed fetch, keyed by the id it was for. */
  const error = ref<{ id: string; message: string } | null>(null);

  async function load<T>(id: string, cache: typeof albums | typeof artists, fetch: () => Promise<T>): Promise<void> {
    loadingId.value = id;
    error.value = null;
    try {
      const value = await fetch();
      cache.value = new Map(cache.value as Map<string, unknown>).set(id, value) as never;
    } catch (cause) {
      error.value = { id, message: describeError(cause, "Couldn't load this page.") };
    } finally {
      if (loadingId.value === id) loadingId.value = null;
    }
  }

  /** Fetches an album unless it is already known. */
  function loadAlbum(id: string): Promise<void> {
    if (albums.value.has(id)) return Promise.resolve();
    return load(id, albums, () => createBrowseService().album(id));
  }

  /** Fetches an artist unless it is already known. */
  function loadArtist(id: string): Promise<void> {
    if (artists.value.has(id)) return Promise.resolve();
    return load(id, artists, () => createBrowseService().artist(id));
  }

  return { albums, artists, loadingId, error, loadAlbum, loadArtist };
});
