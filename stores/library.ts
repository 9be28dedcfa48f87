import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { storage } from 'wxt/utils/storage';
import type { Track } from '@/backend/domain/catalog';
import { ApiError } from '@/utils/api-client';
import { createCatalogService, type AlbumWithTracks } from '@/utils/catalog-service';

interface CachedLibrary {
  albums: AlbumWithTracks[];
  fetchedAt: number;
}

/** The last library fetched, so the popup paints instantly and refreshes behind it. */
export const libraryCacheItem = storage.defineItem<CachedLibrary | null>('local:library', { fallback: null });

/** The shared catalog as the popup shows it: albums, each with its tracks. */
export const useLibraryStore = defineStore('library', () => {
  /** Albums in catalog order, each with its tracks in play order. */
  const albums = shallowRef<AlbumWithTracks[]>([]);
  /** When `albums` was fetched (epoch ms); null until anything is known. */
  const fetchedAt = ref<number | null>(null);
  /** True while a fetch is in flight (cached albums stay visible meanwhile). */
  const loading = ref(false);
  /** Words for the last failed fetch. */
  const error = ref<string | null>(null);

  /** Every track, album after album; the play queue when a track is picked. */
  const tracks = computed<Track[]>(() => albums.value.flatMap((album) => album.tracks));

  /** Paints the cached library, without touching the network. */
  async function restoreCached(): Promise<void> {
    const cached = await libraryCacheItem.getValue();
    if (cached && fetchedAt.value === null) {
      albums.value = cached.albums;
      fetchedAt.value = cached.fetchedAt;
    }
  }

  /** Fetches albums and their tracks, then caches them. */
  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const fresh = await createCatalogService().albumsWithTracks();
      albums.value = fresh;
      fetchedAt.value = Date.now();
      await libraryCacheItem.setValue({ albums: fresh, fetchedAt: fetchedAt.value });
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : "Couldn't load the library.";
    } finally {
      loading.value = false;
    }
  }

  /** Forgets the library (on sign-out). */
  async function clear(): Promise<void> {
    albums.value = [];
    fetchedAt.value = null;
    error.value = null;
    await libraryCacheItem.removeValue();
  }

  return { albums, fetchedAt, loading, error, tracks, restoreCached, refresh, clear };
});
