import { NOTHING_LOADED, type AudioOutput } from '@/player/audio-output';
import type { AudioEvent, MediaItem, MediaStatus } from '@/player/messages';

/** The parts of `HTMLAudioElement` the engine uses; a fake in specs. */
export type AudioElementLike = Pick<
  HTMLAudioElement,
  | 'src'
  | 'currentTime'
  | 'duration'
  | 'paused'
  | 'ended'
  | 'volume'
  | 'muted'
  | 'preload'
  | 'play'
  | 'pause'
  | 'load'
  | 'removeAttribute'
  | 'addEventListener'
>;

export interface AudioEngineHooks {
  /** What the element did on its own (not what a command caused). */
  onEvent(event: AudioEvent): void;
  /** The current item changed (loaded, advanced to the preloaded one, stopped). */
  onItem?(item: MediaItem | undefined): void;
}

/** How often the position is reported while playing, so a restart can resume near it. */
const CHECKPOINT_MS = 10_000;

/**
 * Drives two `<audio>` elements: one plays, the other buffers the next track. When a track
 * ends and the next one is buffered, the engine switches by itself at once and reports
 * `advanced`; that keeps albums gapless and the queue moving while the service worker sleeps.
 * Runs in the offscreen document (Chrome) or the background page (Firefox).
 */
export function createAudioEngine(
  elements: [AudioElementLike, AudioElementLike],
  hooks: AudioEngineHooks | ((event: AudioEvent) => void),
): AudioOutput & Required<Pick<AudioOutput, 'advance'>> {
  const { onEvent, onItem = () => {} } = typeof hooks === 'function' ? { onEvent: hooks } : hooks;
  let [active, spare] = elements;
  let item: MediaItem | undefined;
  let next: MediaItem | undefined;
  /** True while a command drives the element, so the events it causes are not reported. */
  let switching = false;
  let lastCheckpoint = 0;
  let volume = { volume: 1, muted: false };
  /**
   * Settles once the track being started plays (or fails to). Buffering the next track waits
   * for it: creating a media pipeline competes for the same threads as starting this one.
   */
  let starting: Promise<unknown> = Promise.resolve();
  const startingWith = (playing: Promise<void>) => {
    starting = playing.catch(() => {});
    return playing;
  };

  const trackId = () => item?.track?.id;
  const status = (): MediaStatus =>
    item
      ? {
          loaded: true,
          paused: active.paused,
          currentTime: active.currentTime,
          duration: Number.isFinite(active.duration) ? active.duration : 0,
          ...(trackId() && { trackId: trackId() }),
        }
      : { ...NOTHING_LOADED };
  const report = (event: AudioEvent) => {
    if (!switching) onEvent(event);
  };

  function unload(element: AudioElementLike) {
    element.pause();
    element.removeAttribute('src');
    element.load();
  }

  /**
   * Makes the spare element (holding the preloaded, buffered item) the active one and starts it.
   * `play()` is called before anything else is touched — the OS media metadata comes after, and
   * the old element is only paused: releasing its media tears down a media pipeline on this
   * thread, so it waits until the new track plays (a preload waits for the same moment, after it).
   */
  function swap(startAt = 0): Promise<void> {
    const previous = active;
    [active, spare] = [spare, active];
    item = next;
    next = undefined;
    Object.assign(active, volume);
    if (startAt > 0 || active.currentTime > 0) active.currentTime = startAt;
    lastCheckpoint = Date.now();
    const playing = startingWith(active.play());
    previous.pause();
    void starting.then(() => {
      if (previous !== active) unload(previous);
    });
    onItem(item);
    return playing;
  }

  /**
   * Runs a command that starts a track: the events it causes are not reported, and when the
   * track cannot start, nothing counts as loaded and the error says so.
   */
  async function startTrack(start: () => Promise<void>): Promise<MediaStatus> {
    switching = true;
    try {
      await start();
      return status();
    } catch (error) {
      item = undefined;
      onItem(undefined);
      throw new Error(`Playback failed: ${describe(error)}`, { cause: error });
    } finally {
      switching = false;
    }
  }

  for (const element of elements) {
    const mine = (listener: () => void) => () => element === active && item && listener();
    element.addEventListener(
      'playing',
      mine(() => report({ type: 'playing', trackId: trackId(), positionSec: active.currentTime })),
    );
    element.addEventListener(
      'pause',
      mine(() => {
        // The element also fires `pause` right before `ended`; only the latter matters.
        if (!active.ended) report({ type: 'paused', trackId: trackId(), positionSec: active.currentTime });
      }),
    );
    element.addEventListener(
      'timeupdate',
      mine(() => {
        const now = Date.now();
        if (active.paused || now - lastCheckpoint < CHECKPOINT_MS) return;
        lastCheckpoint = now;
        report({ type: 'checkpoint', trackId: trackId(), positionSec: active.currentTime, durationSec: status().duration });
      }),
    );
    element.addEventListener(
      'ended',
      mine(() => {
        const finished = trackId();
        if (!next) return report({ type: 'ended', trackId: finished });
        swap().then(
          () => report({ type: 'advanced', trackId: trackId() ?? '', ...(finished && { previousTrackId: finished }) }),
          (error: unknown) => report({ type: 'error', trackId: trackId(), positionSec: 0, message: describe(error) }),
        );
      }),
    );
    element.addEventListener('error', () => {
      if (element === spare)
        next = undefined; // a broken preload is simply not used
      else if (item)
        report({ type: 'error', trackId: trackId(), positionSec: active.currentTime, message: 'This track could not be played.' });
    });
  }

  return {
    load(request) {
      return startTrack(async () => {
        const startAt = request.startAt ?? 0;
        if (request.volume !== undefined) volume = { volume: request.volume, muted: request.muted ?? false };
        if (next && next.url === request.url) return swap(startAt);
        active.pause();
        item = { url: request.url, ...(request.track && { track: request.track }) };
        active.src = request.url;
        Object.assign(active, volume);
        if (startAt > 0 || active.currentTime > 0) active.currentTime = startAt;
        lastCheckpoint = Date.now();
        const playing = startingWith(active.play());
        onItem(item);
        await playing;
      });
    },

    async advance(trackId) {
      // Already done: the popup asks the document directly, the background a moment later.
      if (item?.track?.id === trackId && !active.paused && next?.track?.id !== trackId) return status();
      if (!next || next.track?.id !== trackId) return null;
      return startTrack(() => swap());
    },

    async preload(request) {
      if (!request) {
        if (next) unload(spare);
        next = undefined;
        return status();
      }
      if (next?.url === request.url) return status();
      await starting;
      if (next?.url === request.url) return status();
      next = { url: request.url, ...(request.track && { track: request.track }) };
      spare.preload = 'auto';
      spare.src = request.url;
      spare.load();
      return status();
    },

    async pause() {
      switching = true;
      active.pause();
      switching = false;
      return status();
    },

    async resume() {
      if (item) await active.play();
      return status();
    },

    async seek(positionSec) {
      if (item) active.currentTime = Math.max(0, positionSec);
      return status();
    },

    async setVolume(level, muted) {
      volume = { volume: Math.min(1, Math.max(0, level)), muted };
      Object.assign(active, volume);
      Object.assign(spare, volume);
      return status();
    },

    async stop() {
      switching = true;
      unload(active);
      if (next) unload(spare);
      item = next = undefined;
      switching = false;
      onItem(undefined);
      return status();
    },

    async status() {
      return status();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
