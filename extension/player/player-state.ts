import { storage } from 'wxt/utils/storage';
import type { Track } from '@@/shared/api';
import type { QueueState, RepeatMode } from './queue';

export type { RepeatMode } from './queue';

/** What the player is doing; mirrored by the popup's `player-toggle` `data-state`. */
type PlayerStatus = 'idle' | 'loading' | 'playing' | 'paused';

/** Something the listener should see even though playback went on (or had to stop). */
export interface PlayerNotice {
  /** `track_skipped`, `playback_failed`, `offline`, `signed_out`. */
  code: 'track_skipped' | 'playback_failed' | 'offline' | 'signed_out';
  /** Words for the popup. */
  message: string;
  /** Epoch ms, so the popup can tell a new notice from an old one. */
  at: number;
}

/**
 * The player's state as every context sees it. The queue owner (in the background) owns it and
 * persists it in `storage.local`, so it outlives the service worker (≈30 s idle), the offscreen
 * document (closed after 30 s of silence) and a browser restart (it then comes back paused).
 */
export interface PlayerState extends QueueState {
  status: PlayerStatus;
  /** Seconds into the current track at the last pause, seek or checkpoint; where a replay starts. */
  positionSec: number;
  /** Length of the current track in seconds; 0 until known. */
  durationSec: number;
  /** 0…1. */
  volume: number;
  muted: boolean;
  /** Words for a failure that stopped playback, shown under the now-playing line. */
  error?: string;
  /** The latest thing worth telling the listener (a skipped track, going offline, signed out). */
  notice?: PlayerNotice;
}

export const IDLE_PLAYER_STATE: Readonly<PlayerState> = Object.freeze({
  status: 'idle',
  queue: [],
  index: -1,
  positionSec: 0,
  durationSec: 0,
  shuffle: false,
  repeat: 'off' as RepeatMode,
  volume: 1,
  muted: false,
});

/** The persisted copy; the popup's player view paints from it before asking the background anything. */
export const playerStateItem = storage.defineItem<PlayerState>('local:player', {
  fallback: { ...IDLE_PLAYER_STATE },
});

/** Fills fields that an older stored state may lack. */
export function normalizeState(state: Partial<PlayerState> | null | undefined): PlayerState {
  return { ...IDLE_PLAYER_STATE, ...state } as PlayerState;
}

/** The track at `state.index`, if any. */
export function currentTrack(state: Pick<PlayerState, 'queue' | 'index'>): Track | undefined {
  return state.index >= 0 ? state.queue[state.index] : undefined;
}
