import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { HomeFeed, HomeSectionId, Track } from '@@/shared/api';
import { createHomeService } from '@/api/home-service';
import { homeCacheItem, type Cached } from '@/utils/popup-cache';
import { describeError } from '@/utils/describe-error';

/** A section as the home view shows it; `id` is null for a section of a feed that predates ids. */
export interface ShownSection {
  id: HomeSectionId | null;
  title: string;
  tracks: Track[];
}

/** The order the home view shows the sections in: what the listener just heard first. */
const SHOWN_ORDER: readonly HomeSectionId[] = ['recently-played', 'for-you', 'most-played', 'new', 'popular'];
const DEFAULT_TITLES: Record<HomeSectionId, string> = {
  'for-you': 'For you',
  'recently-played': 'Recently played',
  'most-played': 'Most played',
  new: 'New in the library',
  popular: 'Popular this week',
};

/**
 * The feed's sections in the order the home view shows them, empty ones left out. A feed from
 * before sections had ids (one cached by an older version, or an older server) had its whole
 * shuffle in `tracks` and themed picks beside it: it shows as "For you" followed by those.
 */
export function shownSections(feed: HomeFeed | null): ShownSection[] {
  if (!feed) return [];
  const withIds = feed.sections.filter((s) => SHOWN_ORDER.includes(s.id));
  const rank = (id: HomeSectionId | null) => (id === null ? SHOWN_ORDER.length : SHOWN_ORDER.indexOf(id));
  const sections: ShownSection[] = withIds.length
    ? feed.sections.map((s) => ({ id: SHOWN_ORDER.includes(s.id) ? s.id : null, title: s.title, tracks: s.tracks }))
    : [{ id: null, title: 'For you', tracks: feed.tracks }, ...feed.sections.map((s) => ({ id: null, title: s.title, tracks: s.tracks }))];
  return sections
    .filter((s) => s.tracks?.length)
    .map((s) => ({ ...s, title: s.title || (s.id ? DEFAULT_TITLES[s.id] : 'For you') }))
    .sort((a, b) => rank(a.id) - rank(b.id));
}

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
  /** The feed's sections in the order shown. */
  const sections = computed(() => shownSections(feed.value));

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

  return { feed, fetchedAt, loading, error, sections, hydrate, restoreCached, refresh, clear };
});
