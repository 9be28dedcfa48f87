import { browser, type Browser } from 'wxt/browser';
import type { Track } from '@@/shared/api';
import { NOTHING_LOADED } from '@/player/audio-output';
import {
  AUDIO_HOST_PORT,
  onMessages,
  PREWARM_PORT,
  type AudioEvent,
  type ControlAction,
  type MediaStatus,
  type PrewarmRequest,
} from '@/player/messages';
import { currentTrack, type PlayerState, type RepeatMode } from '@/player/player-state';
import {
  addTracks,
  clearQueue,
  moveTrack,
  nextIndex,
  previousIndex,
  removeAt,
  setShuffle,
  startQueue,
  type QueueState,
  type Random,
} from '@/player/queue';
import { oncePerPress } from './media-keys';
import { createPlayerStateStore, type PlayerStateStorage } from './player-state-store';
import { createTrackLoader, type TrackLoaderDeps } from './track-loader';

export interface QueueOwnerDeps extends TrackLoaderDeps {
  /** Where the state is kept between service-worker lifetimes and browser restarts. */
  storage: PlayerStateStorage;
  random?: Random;
  /** Sees every state change as it is made, with the patch that made it (the play recorder follows playback here). */
  onCommit?: (patch: Partial<PlayerState>, state: PlayerState) => void;
}

/** The queue fields of a state, with `unshuffled` spelled out so turning shuffle off removes it. */
function queuePatch(q: QueueState): Partial<PlayerState> {
  return { queue: q.queue, index: q.index, shuffle: q.shuffle, repeat: q.repeat, unshuffled: q.unshuffled };
}

/** How many tracks one prewarm request may name: the current track and the first rows of an open popup. */
export const MAX_PREWARM_TRACKS = 3;

function invalid(message: string): Error {
  return Object.assign(new Error(message), { code: 'invalid_input' });
}

/**
 * The queue owner, in the background (Chrome's service worker, Firefox's background page): decides
 * what plays. Each `player/*` message (`serveQueueOwner` below) becomes queue changes (pure
 * functions in `queue.ts`) and audio commands, which `track-loader.ts` carries out on the audio
 * host. The state both change lives in a `player-state-store.ts` that the owner creates and hands
 * to the loader. Every command waits for the stored state to load, so a freshly woken service
 * worker carries on where the last one stopped.
 */
export function createQueueOwner(deps: QueueOwnerDeps) {
  const { output, now = Date.now } = deps;
  const random = deps.random ?? Math.random;
  const store = createPlayerStateStore(deps.storage, deps.log, deps.onCommit);
  const loader = createTrackLoader(deps, store);
  const { commit } = store;
  const s = store.get;

  /** The stored state, squared with what the audio host is actually doing. */
  const ready = (async () => {
    await store.loaded;
    const state = s();
    if (state.status !== 'playing' && state.status !== 'loading') return;
    const media = await output.status().catch((): MediaStatus => ({ ...NOTHING_LOADED }));
    const index = media.trackId ? state.queue.findIndex((t) => t.id === media.trackId) : -1;
    if (!media.loaded) commit({ status: 'paused' });
    else if (index >= 0) commit({ index, status: media.paused ? 'paused' : 'playing' });
  })();
  const whenReady =
    <A extends unknown[]>(fn: (...args: A) => Promise<PlayerState> | PlayerState) =>
    async (...args: A): Promise<PlayerState> => {
      await ready;
      return fn(...args);
    };
  const queueChanged = (patch: Partial<PlayerState>) => {
    const next = commit(patch);
    void loader.preloadNext();
    return next;
  };
  const hasMedia = () => s().status === 'playing' || s().status === 'paused';
  const busy = () => s().status === 'playing' || s().status === 'loading';
  /** The prewarm in progress, so closing the audio host waits until it cannot be reopened by it. */
  let warming: Promise<unknown> = Promise.resolve();
  /** Counts prewarm requests, so a release can tell that a popup asked again meanwhile. */
  let prewarms = 0;

  async function pause(): Promise<PlayerState> {
    const { status, positionSec } = s();
    if (status !== 'playing' && status !== 'loading') return s();
    if (status === 'loading') loader.supersede();
    const media = await output.pause().catch(() => ({ ...NOTHING_LOADED }));
    return commit({ status: 'paused', positionSec: media.loaded ? media.currentTime : positionSec });
  }

  async function play(): Promise<PlayerState> {
    const state = s();
    const track = currentTrack(state);
    if (state.status === 'playing' || state.status === 'loading' || !track) return state;
    const media = state.status === 'paused' ? await output.resume().catch(() => ({ ...NOTHING_LOADED })) : NOTHING_LOADED;
    if (media.loaded && (!media.trackId || media.trackId === track.id)) {
      return commit({ status: 'playing', error: undefined, notice: undefined });
    }
    // The media is gone (offscreen document closed, browser restarted): replay from the saved position.
    return loader.playAt(state.index, { startAt: state.status === 'paused' ? state.positionSec : 0 });
  }

  async function seek(positionSec: number): Promise<PlayerState> {
    if (!Number.isFinite(positionSec)) throw invalid('positionSec must be a number');
    const { durationSec } = s();
    const to = Math.max(0, durationSec > 0 ? Math.min(positionSec, durationSec) : positionSec);
    if (hasMedia()) await output.seek(to).catch(() => undefined);
    return commit({ positionSec: to });
  }

  async function position(): Promise<number> {
    if (!hasMedia()) return s().positionSec;
    const media = await output.status().catch(() => ({ ...NOTHING_LOADED }));
    return media.loaded ? media.currentTime : s().positionSec;
  }

  const api = {
    /** Replaces the queue with `tracks` and plays `tracks[index]` (shuffled after it when shuffle is on). */
    playTracks: whenReady((tracks: Track[], index: number) => {
      if (!Array.isArray(tracks) || !Number.isInteger(index) || index < 0 || index >= tracks.length) {
        throw invalid('index is outside the track list');
      }
      const q = startQueue(tracks, index, s(), random);
      // Stored as `loading` from the start: open popups never see the new queue idle or paused.
      commit({ ...queuePatch(q), status: 'loading', positionSec: 0 });
      return loader.playAt(q.index);
    }),
    /** Looks up the stream URL of a track that is about to be played; changes nothing else. */
    warm: whenReady((trackId: string) => {
      if (typeof trackId !== 'string' || !trackId) throw invalid('trackId must be a track id');
      void deps.streams.get(trackId).catch(() => {}); // the play that follows retries and reports
      return s();
    }),
    /**
     * Gets the first play of an open popup ready (`PREWARM_PORT`): `trackIds` are what a click is
     * likely to play, most likely first; at most `MAX_PREWARM_TRACKS` are used, and the track
     * playing needs nothing. Opens the audio host, refreshes a token about to expire, fetches the
     * stream URLs and buffers the tracks' first seconds. Resolves once all that is done.
     */
    prewarm: whenReady(async (trackIds: string[]) => {
      if (!Array.isArray(trackIds) || !trackIds.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)) {
        throw invalid('trackIds must be a list of track ids');
      }
      prewarms++;
      const playingId = busy() ? currentTrack(s())?.id : undefined;
      const ids = [...new Set(trackIds)].filter((id) => id !== playingId).slice(0, MAX_PREWARM_TRACKS);
      // Nothing to play, nothing to open.
      if (ids.length === 0) return s();
      const done = loader.prewarm(ids);
      warming = done.catch(() => {});
      await done;
      return s();
    }),
    /**
     * The last open popup closed: the audio host is closed again unless it holds something (a
     * playing or paused track), so nothing stays open for a click that did not come; if it stays
     * open, it drops the likely plays it buffered. A play or a new popup's prewarm that comes
     * meanwhile wins: the close is called off at the last moment (`idle`).
     */
    release: whenReady(async () => {
      await warming;
      const asked = prewarms;
      const idle = () => !busy() && prewarms === asked;
      const media = idle() ? await output.status().catch((): MediaStatus => ({ ...NOTHING_LOADED })) : undefined;
      if (media && !media.loaded && output.close) await output.close(idle).catch(() => {});
      else if (prewarms === asked) await output.forget?.().catch(() => {});
      return s();
    }),
    /**
     * Looks up the current track's stream URL ahead when nothing plays (the worker just started,
     * e.g. with the browser), so a media key's play waits only for the audio host.
     */
    warmCurrent: whenReady(() => {
      const track = currentTrack(s());
      if (track && !busy()) void deps.streams.get(track.id).catch(() => {}); // the play that follows retries and reports
      return s();
    }),
    /** Plays the queued track at `index`. */
    jump: whenReady((index: number) => {
      if (!s().queue[index]) throw invalid('index is outside the queue');
      return loader.playAt(index);
    }),
    play: whenReady(play),
    pause: whenReady(pause),
    /** Pauses when playing; otherwise resumes (replaying from the saved position if the media is gone). */
    toggle: whenReady(() => (s().status === 'playing' || s().status === 'loading' ? pause() : play())),
    next: whenReady(() => {
      const i = nextIndex(s(), 'user');
      return i < 0 ? s() : loader.playAt(i);
    }),
    /** The previous track, or the current one from the start when more than three seconds in. */
    previous: whenReady(async () => {
      const { index, restart } = previousIndex(s(), await position());
      if (index < 0) return s();
      if (restart && hasMedia()) return seek(0);
      return loader.playAt(index);
    }),
    seek: whenReady(seek),
    setVolume: whenReady(async (volume: number) => {
      if (!Number.isFinite(volume)) throw invalid('volume must be a number');
      const level = Math.min(1, Math.max(0, volume));
      await output.setVolume(level, s().muted).catch(() => undefined);
      return commit({ volume: level });
    }),
    setMuted: whenReady(async (muted: boolean) => {
      await output.setVolume(s().volume, muted).catch(() => undefined);
      return commit({ muted });
    }),
    setShuffle: whenReady((shuffle: boolean) => queueChanged(queuePatch(setShuffle(s(), shuffle, random)))),
    setRepeat: whenReady((repeat: RepeatMode) => {
      if (!['off', 'all', 'one'].includes(repeat)) throw invalid('repeat must be off, all or one');
      return queueChanged({ repeat });
    }),
    /** Adds tracks at the end or right after the current one; an empty player gets them queued, paused. */
    enqueue: whenReady((tracks: Track[], where: 'end' | 'next') => {
      const wasEmpty = s().index < 0;
      const q = addTracks(s(), tracks, where);
      return queueChanged({ ...queuePatch(q), ...(wasEmpty && q.index >= 0 && { status: 'paused', positionSec: 0 }) });
    }),
    remove: whenReady(async (index: number) => {
      const wasPlaying = s().status === 'playing' || s().status === 'loading';
      const { removedCurrent, ...q } = removeAt(s(), index);
      if (!removedCurrent) return queueChanged(queuePatch(q));
      commit(queuePatch(q));
      if (q.index < 0) return loader.stop();
      if (wasPlaying) return loader.playAt(q.index);
      await output.stop().catch(() => undefined);
      return commit({ positionSec: 0, status: 'paused' });
    }),
    move: whenReady((from: number, to: number) => queueChanged(queuePatch(moveTrack(s(), from, to)))),
    /** Empties the queue except the current track. */
    clear: whenReady(() => queueChanged(queuePatch(clearQueue(s())))),
    state: whenReady(() => s()),
    /** Media keys and OS media controls; a press that arrives by two routes plays once (`oncePerPress`). */
    control: oncePerPress(
      whenReady((action: ControlAction): Promise<PlayerState> => controls[action]()),
      whenReady(() => s()),
      now,
    ),
    /** Stops and forgets the queue (sign-out). */
    stop: whenReady((reason?: Parameters<typeof loader.stop>[0]) => loader.stop(reason)),

    /** Follows what the audio element did on its own: finished, advanced, failed, paused elsewhere. */
    handleAudioEvent: whenReady((event: AudioEvent) => {
      const state = s();
      const current = currentTrack(state);
      const isCurrent = !event.trackId || event.trackId === current?.id;
      switch (event.type) {
        case 'playing':
          return isCurrent && state.status === 'paused' ? commit({ status: 'playing' }) : state;
        case 'paused':
          return isCurrent && state.status === 'playing'
            ? commit({ status: 'paused', positionSec: event.positionSec ?? state.positionSec })
            : state;
        case 'checkpoint':
          return isCurrent && state.status !== 'loading'
            ? commit({ positionSec: event.positionSec, durationSec: event.durationSec || state.durationSec })
            : state;
        case 'ended': {
          if (!isCurrent || state.status === 'loading') return state;
          const i = nextIndex(state, 'auto');
          return i < 0 ? commit({ status: 'idle', positionSec: 0 }) : loader.playAt(i, { keepNotice: true });
        }
        case 'advanced': {
          const expected = nextIndex(state, 'auto');
          const i = state.queue[expected]?.id === event.trackId ? expected : state.queue.findIndex((t) => t.id === event.trackId);
          if (i < 0) return state;
          loader.advanced(event.trackId);
          return queueChanged({ index: i, status: 'playing', positionSec: 0, durationSec: (state.queue[i]!.durationMs ?? 0) / 1000 });
        }
        case 'error':
          return isCurrent && state.status !== 'loading' ? loader.recover(state.index, event.positionSec) : state;
      }
    }),

    /** Resolves once every state change so far is in storage. */
    flush: () => store.flush(),
  };
  const controls: Record<ControlAction, () => Promise<PlayerState>> = {
    toggle: api.toggle,
    play: api.play,
    pause: api.pause,
    next: api.next,
    previous: api.previous,
  };
  return api;
}

export type QueueOwner = ReturnType<typeof createQueueOwner>;

/** How long the audio host must have lived for its closing to be answered by opening it again (not a crash loop). */
export const HOST_MIN_LIFE_MS = 5_000;

/**
 * Follows the popups' `PREWARM_PORT`s: each request gets the first play ready, and when the last
 * open popup closes, the audio host is closed unless it holds something. Also follows the
 * offscreen document's `AUDIO_HOST_PORT`: when Chrome closes the document (30 s without sound)
 * while a popup is open, the latest request is made again at once, so a click there does not
 * find it cold. Returns a function that stops following new ports.
 */
export function servePrewarm(owner: QueueOwner, log: Pick<Console, 'warn'> = console, now: () => number = Date.now): () => void {
  let open = 0;
  /** The latest request of an open popup. */
  let latest: string[] | undefined;
  const prewarm = (trackIds: string[]) => owner.prewarm(trackIds).catch((error: unknown) => log.warn('[player] prewarm failed', error));
  const listener = (port: Browser.runtime.Port) => {
    if (port.name === AUDIO_HOST_PORT) {
      const since = now();
      port.onDisconnect.addListener(() => {
        if (open > 0 && latest && now() - since >= HOST_MIN_LIFE_MS) void prewarm(latest);
      });
      return;
    }
    if (port.name !== PREWARM_PORT) return;
    open++;
    port.onMessage.addListener((request: PrewarmRequest) => {
      latest = request?.trackIds;
      void prewarm(latest);
    });
    port.onDisconnect.addListener(() => {
      if (--open > 0) return;
      latest = undefined;
      void owner.release();
    });
  };
  browser.runtime.onConnect.addListener(listener);
  return () => browser.runtime.onConnect.removeListener(listener);
}

/**
 * Answers the `player/*` messages: the popup's commands and the audio host's reports.
 * Each one resolves to the new `PlayerState`. Returns a function that stops answering.
 */
export function serveQueueOwner(owner: QueueOwner): () => void {
  return onMessages({
    'player/play-tracks': ({ tracks, index }) => owner.playTracks(tracks, index),
    'player/jump': ({ index }) => owner.jump(index),
    'player/toggle': () => owner.toggle(),
    'player/play': () => owner.play(),
    'player/pause': () => owner.pause(),
    'player/next': () => owner.next(),
    'player/previous': () => owner.previous(),
    'player/seek': ({ positionSec }) => owner.seek(positionSec),
    'player/volume': ({ volume }) => owner.setVolume(volume),
    'player/mute': ({ muted }) => owner.setMuted(muted),
    'player/shuffle': ({ shuffle }) => owner.setShuffle(shuffle),
    'player/repeat': ({ repeat }) => owner.setRepeat(repeat),
    'player/enqueue': ({ tracks, where }) => owner.enqueue(tracks, where),
    'player/remove': ({ index }) => owner.remove(index),
    'player/move': ({ from, to }) => owner.move(from, to),
    'player/clear': () => owner.clear(),
    'player/state': () => owner.state(),
    'player/warm': ({ trackId }) => owner.warm(trackId),
    'player/control': ({ action }) => owner.control(action),
    'player/audio-event': (event) => owner.handleAudioEvent(event),
  });
}
