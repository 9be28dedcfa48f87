import { storage } from 'wxt/utils/storage';
import { PLAY_THRESHOLD_MS, type Track } from '@@/shared/api';
import { readSession } from '@/api/session-storage';
import { currentTrack, type PlayerState } from '@/player/player-state';
import { clearedPlays, listeningSettingsItem } from './listening-settings';
import type { PlaySink, RecordedPlay } from './recorded-play';

/**
 * One play-through of the current track as the recorder counts it: from the moment the track
 * starts (or starts again) until it ends, another track starts, or the player stops.
 */
export interface PlayThrough {
  /** The play's id, made when the play-through began, so a play finished twice is still one play. */
  id: string;
  track: Track;
  /** The account signed in when it began: the play is theirs, though a sign-out ends it. */
  userId?: string;
  /** ISO time sound first came out; absent while it has not played yet. */
  startedAt?: string;
  /** The audio's length once it played (the catalog's may be off), in milliseconds. */
  durationMs?: number;
  /** Real time it has played so far, in milliseconds. */
  heardMs: number;
  /** Epoch ms up to which `heardMs` counts, while it plays; absent while it does not. */
  playingSince?: number;
  /** Where the audio was at `playingSince`, in seconds. */
  positionSec?: number;
}

/** Where the play-through in progress outlives a stopped service worker, and a browser restart. */
export interface PlayThroughStorage {
  getValue(): Promise<PlayThrough | null>;
  setValue(value: PlayThrough | null): Promise<void>;
}

export const playThroughItem = storage.defineItem<PlayThrough | null>('local:listening:play-through', { fallback: null });

export interface PlayRecorderDeps {
  /** Every recorded play goes to each of these, in order (the API outbox, the scrobbler). */
  sinks: PlaySink[];
  storage?: PlayThroughStorage;
  /** Whether the listener paused their history: then nothing is recorded. Defaults to `listening:settings`. */
  historyPaused?: () => Promise<boolean>;
  /** The account signed in now, if any. Defaults to the stored session's. */
  signedInUser?: () => Promise<string | undefined>;
  now?: () => number;
  newId?: () => string;
  log?: Pick<Console, 'warn'>;
}

/**
 * Longest stretch counted as heard since the audio host's last report when nothing says how far
 * the audio got (the track ended or changed, the player stopped, a seek back). It reports the
 * position every 10 s while it plays, so more than that was not heard (the machine slept, the
 * audio host went away unannounced).
 */
export const MAX_UNREPORTED_MS = 15_000;

/** How long a track must be heard to count as played: half of it, or `PLAY_THRESHOLD_MS`, whichever is shorter. */
export function playThresholdMs(track: Pick<Track, 'durationMs'>): number {
  return track.durationMs > 0 ? Math.min(track.durationMs / 2, PLAY_THRESHOLD_MS) : PLAY_THRESHOLD_MS;
}

/**
 * Records plays from the queue owner's state changes (`observe` is its `onCommit`). Heard time is
 * how far the audio advanced between two positions the audio host reported, never more than the
 * real time between them: a seek forward adds nothing, a pause stops the count, a machine asleep
 * with the track "playing" adds nothing (the audio stood still), and replaying a part after a
 * seek back counts as long as it really plays. A play-through ends when the track
 * ends, another one (or the same one again: repeat-one, a replay, a seek to its start) starts, or
 * the player stops; if it was heard for `playThresholdMs` by then, it is handed to every sink
 * with the whole heard time. Ending it then rather than at the threshold is what makes
 * `msPlayed` right; the count is stored after every change, so a service worker that stops
 * between two events, or a browser that restarts, loses nothing.
 */
export function createPlayRecorder(deps: PlayRecorderDeps) {
  const {
    sinks,
    storage: store = playThroughItem,
    historyPaused = async () => (await listeningSettingsItem.getValue()).historyPaused,
    now = Date.now,
    signedInUser = async () => (await readSession())?.user.id,
    newId = () => crypto.randomUUID(),
    log = console,
  } = deps;
  /** Changes are handled one at a time, in the order they were made. */
  let queue: Promise<void> = Promise.resolve();
  /** The play-through in progress; `undefined` until read from storage. */
  let current: PlayThrough | null | undefined;

  async function handle(patch: Partial<PlayerState>, state: PlayerState, at: number): Promise<void> {
    if (current === undefined) current = await store.getValue().catch(() => null);
    const before = JSON.stringify(current);
    const track = currentTrack(state);
    const stopped = !track || state.status === 'idle';
    const startsOver = patch.positionSec === 0 || track?.id !== current?.track.id;
    const reported = patch.positionSec !== undefined && !startsOver;
    if (current?.playingSince !== undefined && (reported || stopped || startsOver || state.status !== 'playing')) {
      const sinceMs = Math.max(0, at - current.playingSince);
      const advancedMs = reported && current.positionSec !== undefined ? (state.positionSec - current.positionSec) * 1000 : -1;
      current.heardMs += advancedMs >= 0 ? Math.min(advancedMs, sinceMs) : Math.min(sinceMs, MAX_UNREPORTED_MS);
      current.playingSince = at;
      current.positionSec = state.positionSec;
    }
    if (stopped || startsOver) {
      if (current) await finish(current);
      const userId = stopped ? undefined : await signedInUser().catch(() => undefined);
      current = stopped ? null : { id: newId(), track: track!, heardMs: 0, ...(userId && { userId }) };
    }
    // The state's length is the audio's own once it plays (the catalog's before).
    if (current && state.durationSec > 0 && state.status !== 'loading') current.durationMs = Math.round(state.durationSec * 1000);
    if (current && state.status === 'playing') {
      if (current.playingSince === undefined) Object.assign(current, { playingSince: at, positionSec: state.positionSec });
      current.startedAt ??= new Date(at).toISOString();
    } else if (current) {
      delete current.playingSince;
      delete current.positionSec;
    }
    if (JSON.stringify(current) !== before) await store.setValue(current && { ...current });
  }

  async function finish(done: PlayThrough): Promise<void> {
    if (!done.startedAt || done.heardMs < playThresholdMs({ durationMs: done.durationMs ?? done.track.durationMs })) return;
    if (await historyPaused().catch(() => false)) return;
    const userId = done.userId ?? (await signedInUser().catch(() => undefined));
    if (!userId) return log.warn('[plays] a play was heard with no account signed in; it is not kept');
    const play: RecordedPlay = {
      id: done.id,
      trackId: done.track.id,
      startedAt: done.startedAt,
      msPlayed: Math.round(done.heardMs),
      userId,
      track: done.track,
    };
    if ((await clearedPlays())(play)) return; // its account cleared its history while it played
    for (const sink of sinks) await sink.add(play).catch((error: unknown) => log.warn('[plays] a play was not taken', error));
  }

  return {
    /** Follows one state change: `patch` as committed, `state` the result. */
    observe(patch: Partial<PlayerState>, state: PlayerState): void {
      const at = now();
      queue = queue.then(() => handle(patch, state, at)).catch((error: unknown) => log.warn('[plays] could not count a play', error));
    },
    /** Resolves once every change observed so far is handled. */
    settled: (): Promise<void> => queue,
  };
}

export type PlayRecorder = ReturnType<typeof createPlayRecorder>;
