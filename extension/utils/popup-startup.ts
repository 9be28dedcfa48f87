import { browser } from 'wxt/browser';
import type { PlayerState } from '@/player/player-state';
import type { Cached, CachedPlaylist, ViewState } from './popup-cache';
import type { HomeFeed } from '@@/shared/api';
import type { StoredSession } from '@/api/session-storage';

/**
 * The `storage.local` keys the popup paints from, as `browser.storage.local` names them: the
 * `storage.defineItem('local:…')` items of `session-storage.ts` and `popup-cache.ts` without
 * their `local:` prefix (`popup-startup.spec.ts` reads back what those items stored).
 */
const STARTUP_KEYS = {
  session: 'session',
  home: 'popup.home',
  playlists: 'popup.playlists',
  view: 'popup.view',
  likes: 'popup.likes',
  player: 'player',
} as const;

/** Everything the popup needs for its first paint, read in one go. */
export interface StartupState {
  session: StoredSession | null;
  home: Cached<HomeFeed> | null;
  playlists: Cached<CachedPlaylist[]> | null;
  view: ViewState | null;
  /** The liked track ids, for the hearts. */
  likes: Cached<string[]> | null;
  /** The player state the background keeps (`player/player-state.ts`). */
  player: Partial<PlayerState> | null;
}

/** Reads the stored session, the popup's cache and the player state with one `storage.local.get`. */
export async function readStartupState(): Promise<StartupState> {
  const got = await browser.storage.local.get(Object.values(STARTUP_KEYS));
  const pick = <T>(key: string) => (got[key] ?? null) as T | null;
  return {
    session: pick<StoredSession>(STARTUP_KEYS.session),
    home: pick<Cached<HomeFeed>>(STARTUP_KEYS.home),
    playlists: pick<Cached<CachedPlaylist[]>>(STARTUP_KEYS.playlists),
    view: pick<ViewState>(STARTUP_KEYS.view),
    likes: pick<Cached<string[]>>(STARTUP_KEYS.likes),
    player: pick<Partial<PlayerState>>(STARTUP_KEYS.player),
  };
}

/**
 * Performance marks on the way to the first paint (see `bench/popup.ts`). They cost next to
 * nothing and let anyone read the breakdown in DevTools' Performance panel.
 */
export const STARTUP_MARKS = {
  /** The popup's bundle has been fetched, compiled and evaluated: `main.ts` starts running. */
  script: 'popup:script',
  /** The stored session, cache and player state have been read. */
  state: 'popup:state',
  /** The app is mounted with that state (its DOM is built; painting comes next). */
  mounted: 'popup:mounted',
} as const;

export function mark(name: (typeof STARTUP_MARKS)[keyof typeof STARTUP_MARKS]): void {
  globalThis.performance?.mark?.(name);
}

/** Runs `run` once the frame that is being prepared now has been painted. */
export function afterNextPaint(run: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(run, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(run, 0));
}
