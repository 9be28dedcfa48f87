import { storage } from 'wxt/utils/storage';
import type { Track } from '@/backend/domain/catalog';

/** What the player is doing; mirrored by the popup's `player-toggle` `data-state`. */
export type PlayerStatus = 'idle' | 'loading' | 'playing' | 'paused';

/**
 * The player's state as every context sees it. The background owns it and persists it in
 * `storage.session`, which outlives both the service worker (≈30 s idle) and the offscreen
 * document (closed after 30 s of silence), and is gone when the browser closes.
 */
export interface PlayerState {
  status: PlayerStatus;
  /** The tracks queued by the last "play", in play order. */
  queue: Track[];
  /** Index into `queue` of the current track; -1 when nothing is queued. */
  index: number;
  /** Seconds into the current track when it was last paused; used to resume after a restart. */
  positionSec: number;
  /** Words for the last playback failure, shown under the now-playing line. */
  error?: string;
}

export const IDLE_PLAYER_STATE: Readonly<PlayerState> = Object.freeze({
  status: 'idle',
  queue: [],
  index: -1,
  positionSec: 0,
});

/** The persisted copy; the popup paints from it before asking the background anything. */
export const playerStateItem = storage.defineItem<PlayerState>('session:player', {
  fallback: { ...IDLE_PLAYER_STATE },
});

/** The track at `state.index`, if any. */
export function currentTrack(state: PlayerState): Track | undefined {
  return state.index >= 0 ? state.queue[state.index] : undefined;
}
