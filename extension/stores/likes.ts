import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Track } from '@@/shared/api';
import { createLikesService } from '@/api/likes-service';
import { describeError } from '@/utils/describe-error';
import { likedIdsCacheItem, type Cached } from '@/utils/popup-cache';
import { useNoticeStore } from './notice';

/** Guards against a cursor that never ends: 200 × 200 = 40,000 likes. */
const MAX_PAGES = 200;

/**
 * The tracks the listener likes: the ids every heart is marked from (painted from the cache, read
 * from the server once per open), and the liked tracks themselves while the Liked songs view
 * lists them. A heart changes at once; the server follows, and a refusal puts it back.
 */
export const useLikesStore = defineStore('likes', () => {
  /** Liked track ids, newest first (a Set keeps insertion order). Replaced, never mutated, so views follow it. */
  const ids = shallowRef<ReadonlySet<string>>(new Set());
  /** True once `ids` came from the server in this open (the cache is then only a copy). */
  const loaded = ref(false);
  /** The liked tracks still in the catalog, newest first; growing page by page while the list loads. */
  const tracks = shallowRef<Track[]>([]);
  /** True while the list is loading. */
  const listing = ref(false);
  /** True once the list has been asked for (the view then keeps it in step with every heart). */
  const listed = ref(false);
  /** Words for the last failed load of the list. */
  const error = ref<string | null>(null);

  const service = () => createLikesService();
  /** Per track: the state the server last confirmed, while a change of it is on its way. */
  const confirmed = new Map<string, boolean>();
  /** Per track: the last change asked for, and the writes in flight (they land one after another, in order). */
  const latest = new Map<string, number>();
  const writes = new Map<string, Promise<unknown>>();
  let changes = 0;
  /** Bumped by each list and by sign-out: a page for an older one is dropped. */
  let generation = 0;
  /** Bumped by sign-out: an answer for the previous listener is dropped, never shown nor cached. */
  let listener = 0;

  const isLiked = (trackId: string) => ids.value.has(trackId);

  function persist(): void {
    void likedIdsCacheItem.setValue({ value: [...ids.value], fetchedAt: Date.now() });
  }

  /** Shows a track liked or not, here and in the list (at `at`, else first, when it comes back). */
  function show(track: Track, liked: boolean, at = 0): void {
    const others = [...ids.value].filter((id) => id !== track.id);
    ids.value = new Set(liked ? [track.id, ...others] : others);
    if (!listed.value) return;
    const rest = tracks.value.filter((t) => t.id !== track.id);
    tracks.value = liked ? [...rest.slice(0, at), track, ...rest.slice(at)] : rest;
  }

  /** Paints already-read cached ids, unless the server has answered since. */
  function hydrate(cached: Cached<string[]> | null | undefined): void {
    if (cached && !loaded.value) ids.value = new Set(cached.value);
  }

  /** Paints the cached ids without touching the network. */
  async function restoreCached(): Promise<void> {
    hydrate(await likedIdsCacheItem.getValue());
  }

  /** Reads every liked id from the server (best effort: the cached ones stay on failure). */
  async function load(): Promise<void> {
    const mine = listener;
    try {
      const fresh = new Set(await service().ids());
      if (mine !== listener) return;
      // A change still on its way is not in the answer yet: it stays as the listener made it.
      for (const id of latest.keys()) {
        if (ids.value.has(id)) fresh.add(id);
        else fresh.delete(id);
      }
      ids.value = fresh;
      loaded.value = true;
      persist();
    } catch {
      // The hearts keep the cached state; the next open reads them again.
    }
  }

  /** Likes or unlikes `track` at once, then on the server; says so and puts it back if that fails. */
  async function toggle(track: Track): Promise<void> {
    const liking = !isLiked(track.id);
    const at = tracks.value.findIndex((t) => t.id === track.id);
    const mine = ++changes;
    const owner = listener;
    if (!confirmed.has(track.id)) confirmed.set(track.id, !liking);
    latest.set(track.id, mine);
    show(track, liking);
    const write = (writes.get(track.id) ?? Promise.resolve())
      .catch(() => {})
      .then(() => (liking ? service().like(track.id) : service().unlike(track.id)));
    writes.set(track.id, write);
    try {
      await write;
      if (owner !== listener) return;
      confirmed.set(track.id, liking);
      persist();
    } catch (cause) {
      // Only the last change of a track decides what shows: an earlier one's failure is overtaken.
      if (latest.get(track.id) === mine) {
        show(track, confirmed.get(track.id) ?? !liking, Math.max(0, at));
        useNoticeStore().show(`Couldn't ${liking ? 'like' : 'unlike'} ${track.title}. ${describeError(cause, 'Try again.')}`);
      }
    } finally {
      if (latest.get(track.id) === mine) {
        latest.delete(track.id);
        confirmed.delete(track.id);
        writes.delete(track.id);
      }
    }
  }

  /** Loads the liked tracks for the Liked songs view, newest first, showing each page as it lands. */
  async function list(): Promise<void> {
    const mine = ++generation;
    listed.value = true;
    listing.value = true;
    error.value = null;
    tracks.value = [];
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await service().page(cursor);
        if (mine !== generation) return;
        const seen = new Set(tracks.value.map((t) => t.id));
        // Unliked meanwhile (or liked meanwhile and already listed first): not listed again.
        const fresh = answer.items.flatMap((item) =>
          item.track && !seen.has(item.trackId) && (!latest.has(item.trackId) || isLiked(item.trackId)) ? [item.track] : [],
        );
        tracks.value = [...tracks.value, ...fresh];
        cursor = answer.cursor;
        if (!cursor) break;
      }
    } catch (cause) {
      if (mine === generation) error.value = describeError(cause, "Couldn't load your liked songs.");
    } finally {
      if (mine === generation) listing.value = false;
    }
  }

  /** Forgets the signed-out listener's likes (the cached copy goes with the popup's cache). */
  function clear(): void {
    generation++;
    listener++;
    ids.value = new Set();
    loaded.value = false;
    tracks.value = [];
    listing.value = false;
    listed.value = false;
    error.value = null;
    latest.clear();
    confirmed.clear();
    writes.clear();
  }

  return { ids, loaded, tracks, listing, listed, error, isLiked, hydrate, restoreCached, load, toggle, list, clear };
});
