/**
 * The popup's view of the player. The popup never plays audio: it paints the state the queue
 * owner keeps in `storage.local`, follows it as it changes, and sends the `player/*` commands of
 * the message contract (`player/messages.ts`), which `player/background/queue-owner.ts` answers.
 * Public API (components rely on it):
 *
 * State (read-only refs/computeds)
 * - `state`      the whole `PlayerState` (queue, index, status, shuffle, repeat, volume, muted, notice…)
 * - `track`      the current `Track`, or undefined
 * - `status`     'idle' | 'loading' | 'playing' | 'paused' (also the `player-toggle` `data-state`)
 * - `queue`, `index`, `shuffle`, `repeat`, `volume`, `muted`
 * - `upcoming`   the tracks after the current one, in play order; `hasNext`, `hasPrevious`
 * - `elapsedSec` seconds into the track, ticking smoothly between the live reports; `durationSec` its length
 * - `notice`     the latest `PlayerNotice` (skipped track, offline, signed out), or undefined
 * - `error`      words to show under the now-playing line: the error that stopped playback, else the notice
 *
 * Actions (each resolves once the background answered; failures land in `error`)
 * - `restore()` paint from storage, start following it, and get a first play ready (call once when the popup opens)
 * - `playTracks(tracks, index)`, `playAt(index)` (a queued track), `toggle()`, `play()`, `pause()`
 * - `next()`, `previous()` (restarts when > 3 s in), `seek(seconds)`: one `player/*` command each;
 *   a command that starts a track shows `loading` at once, and `playing` once the queue owner says so
 * - `setVolume(0…1)`, `setMuted(bool)`, `setShuffle(bool)`, `toggleShuffle()`
 * - `setRepeat('off'|'all'|'one')`, `cycleRepeat()` (off → all → one → off)
 * - `addToQueue(tracks)`, `playNext(tracks)` (play them when nothing is queued; both tell the listener)
 * - `playUpcoming(i)`, `removeUpcoming(i)`, `moveUpcoming(from, to)`: a queued track, counted from the first upcoming one
 * - `clearQueue()`
 * - `dispose()` stop following and warming (tests; the popup just closes)
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { browser, type Browser } from 'wxt/browser';
import type { Track } from '@@/shared/api';
import {
  PREWARM_INTERVAL_MS,
  PREWARM_PORT,
  PROGRESS_PORT,
  sendMessage,
  type MessageRequest,
  type MessageType,
  type PrewarmRequest,
  type ProgressEvent,
} from '@/player/messages';
import { currentTrack, IDLE_PLAYER_STATE, normalizeState, playerStateItem, type PlayerState, type RepeatMode } from '@/player/player-state';
import { nextIndex, previousIndex } from '@/player/queue';
import { afterNextPaint } from '@/utils/popup-startup';
import { useHomeStore } from './home';
import { useNoticeStore } from './notice';

type PlayerCommand = { [T in MessageType]: MessageType extends T ? never : T extends `player/${string}` ? T : never }[MessageType];
const REPEAT_CYCLE: Record<RepeatMode, RepeatMode> = { off: 'all', all: 'one', one: 'off' };
/** How many of the home feed's first rows are got ready for a click. */
const PREWARM_HOME_ROWS = 2;

export const usePlayerViewStore = defineStore('player-view', () => {
  const noticeBar = useNoticeStore();
  const home = useHomeStore();

  /** The player state, painted from storage and kept in sync with it. */
  const state = shallowRef<PlayerState>({ ...IDLE_PLAYER_STATE });
  /** The live position pushed by the audio host; undefined when it is not sending. */
  const live = ref<ProgressEvent>();
  /** A failed command, in words. */
  const commandError = ref<string>();

  const track = computed(() => currentTrack(state.value));
  const status = computed(() => state.value.status);
  const queue = computed(() => state.value.queue);
  const index = computed(() => state.value.index);
  const shuffle = computed(() => state.value.shuffle);
  const repeat = computed(() => state.value.repeat);
  const volume = computed(() => state.value.volume);
  const muted = computed(() => state.value.muted);
  const notice = computed(() => state.value.notice);
  const error = computed(() => commandError.value ?? state.value.error ?? state.value.notice?.message);
  const position = computed(() =>
    live.value && live.value.trackId === track.value?.id && status.value !== 'loading' ? live.value.positionSec : state.value.positionSec,
  );
  /** Length of the current track in seconds (0 when unknown). */
  const durationSec = computed(() => live.value?.durationSec || state.value.durationSec || (track.value?.durationMs ?? 0) / 1000);
  /** Tracks after the current one, in play order. */
  const upcoming = computed(() => queue.value.slice(index.value + 1));
  const hasNext = computed(() => index.value + 1 < queue.value.length || repeat.value !== 'off');
  const hasPrevious = computed(() => index.value >= 0);

  // Between the audio host's position reports (or before its port connects), time moves on locally.
  const now = ref(Date.now());
  let since = Date.now();
  const timer = setInterval(() => (now.value = Date.now()), 250);
  onScopeDispose(() => clearInterval(timer));
  watch(
    () => [position.value, status.value, index.value] as const,
    () => (since = now.value = Date.now()),
    { immediate: true },
  );

  /** Seconds into the current track. */
  const elapsedSec = computed(() => {
    const ticking = status.value === 'playing' ? Math.max(0, now.value - since) / 1000 : 0;
    return Math.min(position.value + ticking, durationSec.value || Infinity);
  });

  let unwatch: (() => void) | undefined;
  let port: Browser.runtime.Port | undefined;

  /** Follows the live position while audio plays; reconnects after the offscreen document was recreated. */
  function followProgress(): void {
    if (port || (status.value !== 'playing' && status.value !== 'loading')) return;
    try {
      const opened = browser.runtime.connect({ name: PROGRESS_PORT });
      port = opened;
      opened.onMessage.addListener((event: ProgressEvent) => {
        live.value = event;
      });
      opened.onDisconnect.addListener(() => {
        if (port === opened) port = undefined;
        live.value = undefined;
      });
    } catch {
      port = undefined;
    }
  }

  function paint(next: PlayerState | null | undefined): void {
    state.value = normalizeState(next);
    followProgress();
  }

  let warmPort: Browser.runtime.Port | undefined;
  let warmTimer: ReturnType<typeof setInterval> | undefined;
  /** True from the first frame (when warming starts) until disposed. */
  let warming = false;

  /** The home feed's first rows, most likely first. */
  const homeRows = computed(() => home.feed?.tracks.slice(0, PREWARM_HOME_ROWS).map((row) => row.id) ?? []);

  /** What a click is likely to play, most likely first: the current track (unless it plays), then the home feed's first rows. */
  function likelyPlays(): string[] {
    const ids: string[] = [];
    if (track.value && status.value !== 'playing' && status.value !== 'loading') ids.push(track.value.id);
    for (const id of homeRows.value) if (!ids.includes(id)) ids.push(id);
    return ids;
  }

  /**
   * Asks the queue owner to get those plays ready, over a port it watches: when the popup closes,
   * the port does too, and the audio host is closed again if nothing was played. Nothing to play,
   * nothing asked.
   */
  function prewarm(): void {
    const trackIds = warming ? likelyPlays() : []; // none before the first frame or once disposed
    if (trackIds.length === 0) return;
    try {
      if (!warmPort) {
        const opened = browser.runtime.connect({ name: PREWARM_PORT });
        warmPort = opened;
        opened.onDisconnect.addListener(() => {
          if (warmPort === opened) warmPort = undefined;
        });
      }
      warmPort.postMessage({ trackIds } satisfies PrewarmRequest);
    } catch {
      warmPort = undefined; // the worker is restarting: the next round connects again
    }
  }

  /** Paints the stored state, follows the background's updates, and keeps a first play ready while the popup is open. */
  async function restore(): Promise<void> {
    paint(await playerStateItem.getValue());
    unwatch ??= playerStateItem.watch(paint);
    if (warmTimer === undefined) {
      // After the first frame: opening the audio host must not hold up the popup's paint.
      afterNextPaint(() => {
        if (warmTimer === undefined) return; // disposed meanwhile
        warming = true;
        prewarm();
      });
      warmTimer = setInterval(prewarm, PREWARM_INTERVAL_MS);
    }
  }

  // A home feed that arrives (a first-ever open has none cached) or changes its first rows is
  // asked for at once, not at the next round.
  watch(homeRows, (rows, before) => {
    if (rows.join() !== before.join()) prewarm();
  });

  function dispose(): void {
    unwatch?.();
    unwatch = undefined;
    port?.disconnect();
    port = undefined;
    clearInterval(warmTimer);
    warmTimer = undefined;
    warming = false;
    warmPort?.disconnect();
    warmPort = undefined;
  }

  async function send<T extends PlayerCommand>(type: T, data: MessageRequest<T>): Promise<void> {
    commandError.value = undefined;
    try {
      paint((await sendMessage(type, data)) as PlayerState);
    } catch (cause) {
      commandError.value = cause instanceof Error ? cause.message : String(cause);
      // Undo what was shown ahead of the answer (`loading`): the stored state is what is true.
      paint(await playerStateItem.getValue().catch(() => state.value));
    }
  }

  /** Shows `loading` on `index` until the queue owner answers (or storage says) that it plays. */
  function showLoading(at: number): void {
    const { queue: tracks, index: now, positionSec } = state.value;
    if (at >= 0 && tracks[at]) state.value = { ...state.value, status: 'loading', index: at, positionSec: at === now ? positionSec : 0 };
  }

  /**
   * "Next": one command, `player/next`. The queue owner moves the queue on and has the audio
   * host start the track (at once when it is the buffered next one); the popup shows it
   * `loading` meanwhile, and `playing` from the answer.
   */
  function next(): Promise<void> {
    showLoading(nextIndex(state.value, 'user'));
    return send('player/next', {});
  }

  /** "Previous": the track before, or this one from the start (no new track then, so nothing to wait for). */
  function previous(): Promise<void> {
    const { index: at, restart } = previousIndex(state.value, elapsedSec.value);
    if (!restart || (status.value !== 'playing' && status.value !== 'paused')) showLoading(at);
    return send('player/previous', {});
  }

  /** "Play" (and a toggle that plays): the current track shows `loading` until it plays. */
  function resuming<T extends 'player/play' | 'player/toggle'>(type: T): Promise<void> {
    if (status.value !== 'playing' && status.value !== 'loading') showLoading(index.value);
    return send(type, {});
  }

  /** Plays `tracks[index]`, queueing the rest. */
  function playTracks(tracks: Track[], at: number): Promise<void> {
    // Show "loading" at once; the background confirms.
    state.value = { ...state.value, status: 'loading', queue: tracks, index: at, positionSec: 0 };
    return send('player/play-tracks', { tracks, index: at });
  }

  /** Queues `tracks` right after the current one (or plays them when nothing is queued). */
  async function playNext(tracks: Track[]): Promise<void> {
    await (track.value ? send('player/enqueue', { tracks, where: 'next' }) : playTracks(tracks, 0));
    if (!error.value) noticeBar.show(tracks.length === 1 ? `“${tracks[0]!.title}” plays next.` : `${tracks.length} tracks play next.`);
  }

  /** Queues `tracks` at the end (or plays them when nothing is queued). */
  async function addToQueue(tracks: Track[]): Promise<void> {
    await (track.value ? send('player/enqueue', { tracks, where: 'end' }) : playTracks(tracks, 0));
    if (!error.value)
      noticeBar.show(tracks.length === 1 ? `Added “${tracks[0]!.title}” to the queue.` : `Added ${tracks.length} tracks to the queue.`);
  }

  /** Plays the queued track at `at`, shown `loading` until it plays. */
  function playAt(at: number): Promise<void> {
    showLoading(at);
    return send('player/jump', { index: at });
  }
  const removeFromQueue = (at: number) => send('player/remove', { index: at });
  const moveInQueue = (from: number, to: number) => send('player/move', { from, to });
  /** Where the upcoming list starts in the queue. */
  const firstUpcoming = () => index.value + 1;

  return {
    state,
    track,
    status,
    queue,
    index,
    shuffle,
    repeat,
    volume,
    muted,
    notice,
    error,
    upcoming,
    hasNext,
    hasPrevious,
    elapsedSec,
    durationSec,
    restore,
    dispose,
    playTracks,
    playNext,
    addToQueue,
    playAt,
    /** Fire and forget: the URL lookup of a track about to be played (`player/warm`). */
    warm: (trackId: string) => void sendMessage('player/warm', { trackId }).catch(() => {}),
    toggle: () => resuming('player/toggle'),
    play: () => resuming('player/play'),
    pause: () => send('player/pause', {}),
    next,
    previous,
    seek: (positionSec: number) => send('player/seek', { positionSec }),
    setVolume: (level: number) => send('player/volume', { volume: level }),
    setMuted: (value: boolean) => send('player/mute', { muted: value }),
    setShuffle: (value: boolean) => send('player/shuffle', { shuffle: value }),
    toggleShuffle: () => send('player/shuffle', { shuffle: !state.value.shuffle }),
    setRepeat: (mode: RepeatMode) => send('player/repeat', { repeat: mode }),
    cycleRepeat: () => send('player/repeat', { repeat: REPEAT_CYCLE[state.value.repeat] }),
    clearQueue: () => send('player/clear', {}),
    playUpcoming: (at: number) => playAt(firstUpcoming() + at),
    removeUpcoming: (at: number) => removeFromQueue(firstUpcoming() + at),
    moveUpcoming: (from: number, to: number) => moveInQueue(firstUpcoming() + from, firstUpcoming() + to),
  };
});
