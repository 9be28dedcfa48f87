import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HomeFeed } from '@@/shared/api';
import { createHomeService } from '@/api/home-service';
import { homeCacheItem, type Cached } from '@/utils/popup-cache';
import { describeError } from '@/utils/describe-error';

/** The listener's shuffled home feed: painted from the cache, then refreshed. */
export const useHomeStore = defineStore('home', () => {
  /** The feed on screen; null until the cache or the network has answered. */
  const feed = shallowRef<HomeFeed | null>(null);
  /** When `feed` was fetched (epoch ms). */
  const fetchedAt = ref<number | null>(null);
  /** True while a refresh is in flight (the cached feed stays visible meanwhile). */
  const loading = ref(false);
  /** Words for the last failed refresh; the view offers a retry. */
  const error = ref<string | null>(null);

  /**
   * Paints an already-read cached feed (the popup reads all its state at once on open). It
   * replaces the feed on screen unless that one is fresher: the popup paints its own snapshot
   * first, then this copy from `storage.local`, which has the covers and wins.
   */
  function hydrate(cached: Cached<HomeFeed> | null): void {
    if (cached && !(fetchedAt.value !== null && fetchedAt.value > cached.fetchedAt)) {
      feed.value = cached.value;
      fetchedAt.value = cached.fetchedAt;
    }
  }

  /** Paints the cached feed without touching the network. */
  async function restoreCached(): Promise<void> {
    hydrate(await homeCacheItem.getValue());
  }

  /** Fetches the current feed and caches it. */
  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const fresh = await createHomeService().feed();
      feed.value = fresh;
      fetchedAt.value = Date.now();
      await homeCacheItem.setValue({ value: fresh, fetchedAt: fetchedAt.value });
    } catch (cause) {
      error.value = describeError(cause, "Couldn't load your home feed.");
    } finally {
      loading.value = false;
    }
  }

  function clear(): void {
    feed.value = null;
    fetchedAt.value = null;
    error.value = null;
  }

  return { feed, fetchedAt, loading, error, hydrate, restoreCached, refresh, clear };
});
