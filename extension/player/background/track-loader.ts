import type { StreamUrl, Track } from '@@/shared/api';
import type { AudioOutput } from '@/player/audio-output';
import type { BufferItem, LoadRequest, MediaItem, MediaStatus } from '@/player/messages';
import { IDLE_PLAYER_STATE, type PlayerNotice, type PlayerState } from '@/player/player-state';
import { nextIndex } from '@/player/queue';
import { probeBackoffMs, probeMedia, type ProbeResult } from './media-probe';
import type { PlayerStateStore } from './player-state-store';
import type { StreamCache } from './stream-cache';

export interface TrackLoaderDeps {
  streams: Pick<StreamCache, 'get' | 'clear'>;
  output: AudioOutput;
  probe?: (url: string) => Promise<ProbeResult>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Pick<Console, 'error' | 'warn'>;
  /** Refreshes the access token when it is about to expire, so a stream URL request is not refused first. */
  refreshToken?: () => Promise<unknown>;
}

/** Seconds a track must have played since its last start for a new failure to count as its first. */
const PLAYED_SEC = 5;

/** Network retries before giving up and pausing (1 + 2 + 4 + 8 + 16 + 16 s ≈ 47 s). */
const MAX_NETWORK_RETRIES = 6;

/**
 * The queue owner's hands on the audio: starts tracks in the audio host, preloads the one after,
 * and recovers from failures — a refused URL is fetched anew and resumed at the same position, a
 * dead network is retried with backoff, and a track that cannot play is skipped with a notice
 * instead of stopping in silence. Every start, retry and skip is recorded in `store`, the state
 * the queue owner created and shares with it.
 */
export function createTrackLoader(deps: TrackLoaderDeps, store: PlayerStateStore) {
  const { streams, output, probe = probeMedia, now = Date.now, log = console } = deps;
  const { commit } = store;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Bumped by every play, skip and stop, so a slow superseded attempt cannot overwrite a newer one. */
  let generation = 0;
  /**
   * Failed loads per track id while the network was fine. They start over whenever the track is
   * played anew (`playAt`, or the audio host going on to it by itself) and when it fails well
   * past its last start — but not when a reload merely started: see `startedAt`.
   */
  const attempts = new Map<string, number>();
  /**
   * Where each track last started playing, in seconds. A failure well past that point means the
   * track did play (a URL that expired mid-track), so its attempts start over; a failure right
   * after a reload started does not reset them — an element can start and fail a moment later
   * (Firefox without an audio output device, a file that breaks after its first frames), which
   * would otherwise reload the track for ever.
   */
  const startedAt = new Map<string, number>();

  /** `trackId` is played anew: a failure now gets a fresh URL and a reload before any skip. */
  function playingAnew(trackId: string, at = 0): void {
    attempts.delete(trackId);
    startedAt.set(trackId, at);
  }
  let skipsInARow = 0;
  /** The track the audio host holds buffered as "next", as far as this worker knows. */
  let preloaded: string | undefined;

  const notice = (code: PlayerNotice['code'], message: string): PlayerNotice => ({ code, message, at: now() });

  function started(track: Track, media: MediaStatus): PlayerState {
    startedAt.set(track.id, media.currentTime);
    skipsInARow = 0;
    const done = commit({ status: media.paused ? 'paused' : 'playing', durationSec: media.duration || store.get().durationSec });
    void preloadNext();
    return done;
  }

  function loadRequest(track: Track, stream: StreamUrl, startAt: number): LoadRequest {
    return { ...mediaItem(track, stream), startAt, volume: store.get().volume, muted: store.get().muted };
  }

  /** Plays `queue[index]` from `startAt`; failures go to `recover`. */
  async function playAt(index: number, options: { startAt?: number; keepNotice?: boolean } = {}): Promise<PlayerState> {
    const track = store.get().queue[index];
    if (!track) return commit({ status: 'idle', positionSec: 0 });
    const mine = ++generation;
    const startAt = options.startAt ?? 0;
    playingAnew(track.id, startAt);
    // The preloaded track starts before any bookkeeping: one message to the audio host, with
    // no storage write, URL lookup or document check ahead of it. `null` means it was not
    // preloaded after all (or the document is gone), and the ordinary path below takes over.
    const advancing = startAt === 0 && preloaded === track.id && output.advance ? output.advance(track.id) : undefined;
    preloaded = undefined;
    // Otherwise the URL lookup starts now, ahead of the state write (storage calls queue up).
    const stream = advancing ? undefined : streams.get(track.id);
    stream?.catch(() => {}); // handled where it is awaited
    commit({
      status: 'loading',
      index,
      positionSec: startAt,
      durationSec: (track.durationMs ?? 0) / 1000,
      error: undefined,
      ...(!options.keepNotice && { notice: undefined }),
    });
    try {
      const advanced = await advancing;
      if (advanced) return mine === generation ? started(track, advanced) : store.get();
      // Opening the offscreen document and fetching the URL overlap.
      const [found] = await Promise.all([stream ?? streams.get(track.id), output.prepare?.()]);
      if (mine !== generation) return store.get();
      const media = await output.load(loadRequest(track, found, startAt));
      return mine === generation ? started(track, media) : store.get();
    } catch (error) {
      if (mine !== generation) return store.get();
      log.warn('[player] could not start', track.id, error);
      return recover(index, startAt, mine);
    }
  }

  /**
   * Gets `queue[index]` playing again at `positionSec` after a failure: a fresh URL (the old one
   * may have expired or been revoked), a probe to tell a dead network from a bad file, then a
   * reload — or a retry later, or a skip.
   */
  async function recover(index: number, positionSec: number, mine = ++generation, retry = 0): Promise<PlayerState> {
    const track = store.get().queue[index];
    if (!track || mine !== generation) return store.get();
    commit({ status: 'loading', index, positionSec });
    let stream: StreamUrl;
    try {
      stream = await streams.get(track.id, { fresh: true });
    } catch (error) {
      if (mine !== generation) return store.get();
      if (statusOf(error) === 401) return stop(notice('signed_out', 'Your session has ended. Sign in to keep listening.'));
      if (statusOf(error) === 0) return retryLater(index, positionSec, mine, retry);
      return skip(index, mine);
    }
    const health = await probe(stream.url);
    if (mine !== generation) return store.get();
    if (health === 'network') return retryLater(index, positionSec, mine, retry);
    if (positionSec - (startedAt.get(track.id) ?? 0) >= PLAYED_SEC) attempts.delete(track.id);
    const attempt = (attempts.get(track.id) ?? 0) + 1;
    attempts.set(track.id, attempt);
    if (health === 'unavailable' || attempt > 1) return skip(index, mine);
    try {
      const media = await output.load(loadRequest(track, stream, positionSec));
      return mine === generation ? started(track, media) : store.get();
    } catch (error) {
      log.warn('[player] reload failed', track.id, error);
      return recover(index, positionSec, mine, retry);
    }
  }

  async function retryLater(index: number, positionSec: number, mine: number, retry: number): Promise<PlayerState> {
    if (retry >= MAX_NETWORK_RETRIES) {
      const gaveUp = notice('offline', "Can't reach Alktunes. Check your connection, then press play.");
      return commit({ status: 'paused', positionSec, notice: gaveUp, error: gaveUp.message });
    }
    commit({ notice: notice('offline', 'Connection lost. Trying again…') });
    await sleep(probeBackoffMs(retry + 1));
    return recover(index, positionSec, mine, retry + 1);
  }

  /** Moves past a track that cannot play, telling the listener; pauses once every track has failed. */
  function skip(index: number, mine: number): Promise<PlayerState> | PlayerState {
    const state = store.get();
    const track = state.queue[index];
    if (!track || mine !== generation) return state;
    skipsInARow++;
    const skipped = notice('track_skipped', `Skipped "${track.title}": it couldn't be played.`);
    log.warn('[player] skipped', track.id);
    const next = nextIndex({ ...state, index }, 'user');
    if (next < 0 || skipsInARow >= state.queue.length) {
      return commit({ status: 'paused', index, positionSec: 0, notice: skipped, error: skipped.message });
    }
    commit({ notice: skipped });
    return playAt(next, { keepNotice: true });
  }

  /** Buffers the track that follows the current one in the audio host. */
  async function preloadNext(): Promise<void> {
    const nextTrack = () => store.get().queue[nextIndex(store.get(), 'auto')];
    const track = nextTrack();
    try {
      if (!track) {
        preloaded = undefined;
        await output.preload(null);
        return;
      }
      const stream = await streams.get(track.id);
      if (nextTrack()?.id !== track.id) return; // the queue moved on meanwhile
      preloaded = undefined;
      await output.preload(mediaItem(track, stream));
      if (nextTrack()?.id === track.id) preloaded = track.id;
    } catch (error) {
      log.warn('[player] could not preload', track?.id, error);
    }
  }

  /**
   * Gets a first play of any of `trackIds` ready: the audio host opens while the access token is
   * checked and the stream URLs are fetched (all at once), then the host buffers their first
   * seconds. A track that cannot be looked up is left out; its play reports the failure.
   */
  async function prewarm(trackIds: string[]): Promise<void> {
    const items = (async () => {
      await deps.refreshToken?.().catch(() => {});
      const found = await Promise.all(
        trackIds.map((id) =>
          streams.get(id).then(
            ({ url, expiresAt }): BufferItem => ({ trackId: id, url, ...(expiresAt && { expiresAt }) }),
            () => undefined,
          ),
        ),
      );
      return found.filter((item) => item !== undefined);
    })();
    await Promise.all([output.prepare?.(), items]);
    const ready = await items;
    if (ready.length && output.buffer) await output.buffer(ready);
  }

  /** Stops and unloads everything, e.g. on sign-out; the volume settings stay. */
  async function stop(reason?: PlayerNotice): Promise<PlayerState> {
    ++generation;
    preloaded = undefined;
    await output.stop().catch(() => {});
    await streams.clear();
    const { volume, muted } = store.get();
    return commit({ ...IDLE_PLAYER_STATE, volume, muted, ...(reason && { notice: reason }) });
  }

  return {
    playAt,
    prewarm,
    recover: (index: number, positionSec: number) => recover(index, positionSec),
    preloadNext,
    /** The audio host went on to `trackId` by itself (a track ended and the next one was buffered). */
    advanced: (trackId: string) => playingAnew(trackId),
    stop,
    /** Invalidates any attempt in flight (a pause or seek won over it). */
    supersede: () => ++generation,
  };
}

/** What the audio host needs of a track: where to stream it from until when, and what to show in the OS media controls. */
function mediaItem(track: Track, { url, expiresAt }: StreamUrl): MediaItem {
  return {
    url,
    ...(expiresAt && { expiresAt }),
    track: {
      id: track.id,
      title: track.title,
      artist: track.artist,
      album: track.album,
      ...(track.coverUrl && { coverUrl: track.coverUrl }),
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return error && typeof error === 'object' && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}
