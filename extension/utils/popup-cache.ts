import { storage } from 'wxt/utils/storage';
import type { HomeFeed, Playlist } from '@@/shared/api';
import { clearSnapshot } from './popup-snapshot';

/** A cached value and when it was fetched (epoch ms). */
export interface Cached<T> {
  value: T;
  fetchedAt: number;
}

/**
 * A playlist as the popup lists it, and as much as any version cached: lists written before
 * `description` and `createdAt` existed lack them, so nothing read from the cache may rely on more.
 */
export type CachedPlaylist = Pick<Playlist, 'id' | 'name' | 'entryCount' | 'version'>;

/** Where the popup was: the tab, and the detail view open over it. */
export interface ViewState {
  tab: 'home' | 'search' | 'playlists' | 'queue';
  detail: { kind: 'album' | 'artist' | 'playlist' | 'liked'; id: string; title?: string } | null;
}

/*
 * The popup's last state in `storage.local`, so it paints at once when reopened and only
 * then refreshes from the network. Cleared on sign-out: it belongs to one listener.
 */

/** The last home feed fetched. */
export const homeCacheItem = storage.defineItem<Cached<HomeFeed> | null>('local:popup.home', { fallback: null });
/** The last list of playlists fetched. */
export const playlistsCacheItem = storage.defineItem<Cached<CachedPlaylist[]> | null>('local:popup.playlists', { fallback: null });
/** The tab and detail view open when the popup last closed. */
export const viewCacheItem = storage.defineItem<ViewState | null>('local:popup.view', { fallback: null });

/** The ids of the tracks the listener likes, newest first, as last read or changed. */
export const likedIdsCacheItem = storage.defineItem<Cached<string[]> | null>('local:popup.likes', { fallback: null });

/** Forgets everything the popup cached for the signed-out listener, its snapshot included. */
export async function clearPopupCache(): Promise<void> {
  clearSnapshot();
  await Promise.all([
    homeCacheItem.removeValue(),
    playlistsCacheItem.removeValue(),
    viewCacheItem.removeValue(),
    likedIdsCacheItem.removeValue(),
  ]);
}
