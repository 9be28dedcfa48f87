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
 * - `restore()` paint from storage and start following it (call once when the popup opens)
 * - `playTracks(tracks, index)`, `playAt(index)` (a queued track), `toggle()`, `play()`, `pause()`
 * - `next()`, `previous()` (restarts when > 3 s in), `seek(seconds)`
 * - `setVolume(0…1)`, `setMuted(bool)`, `setShuffle(bool)`, `toggleShuffle()`
 * - `setRepeat('off'|'all'|'one')`, `cycleRepeat()` (off → all → one → off)
 * - `addToQueue(tracks)`, `playNext(tracks)` (play them when nothing is queued; both tell the listener)
 * - `playUpcoming(i)`, `removeUpcoming(i)`, `moveUpcoming(from, to)`: a queued track, counted from the first upcoming one
 * - `clearQueue()`
 * - `dispose()` stop following (tests; the popup just closes)
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { browser, type Browser } from 'wxt/browser';
import type { Track } from '@@/shared/api';
import { PROGRESS_PORT, sendMessage, type MessageRequest, type MessageType, type ProgressEvent } from '@/player/messages';
import { currentTrack, IDLE_PLAYER_STATE, normalizeState, playerStateItem, type PlayerState, type RepeatMode } from '@/player/player-state';
import { nextIndex } from '@/player/queue';
import { useNoticeStore } from './notice';

type PlayerCommand = { [T in MessageType]: MessageType extends T ? never : T extends `player/${string}` ? T : never }[MessageType];
const REPEAT_CYCLE: Record<RepeatMode, RepeatMode> = { off: 'all', all: 'one', one: 'off' };

export const usePlayerViewStore = defineStore('player-view', () => {
  const noticeBar = useNoticeStore();

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

  /** Paints the stored state and follows the background's updates. */
  async function restore(): Promise<void> {
    paint(await playerStateItem.getValue());
    unwatch ??= playerStateItem.watch(paint);
  }

  function dispose(): void {
    unwatch?.();
    unwatch = undefined;
    port?.disconnect();
    port = undefined;
  }

  async function send<T extends PlayerCommand>(type: T, data: MessageRequest<T>): Promise<void> {
    commandError.value = undefined;
    try {
      paint((await sendMessage(type, data)) as PlayerState);
    } catch (cause) {
      commandError.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  /**
   * "Next": the audio host is told first, directly, to start the track it has buffered if that
   * is the one coming (it ignores anything else), which saves the hop through the service worker
   * — and its wake-up when it was asleep. The queue owner then moves the queue on as usual; its
   * own request to start that track finds it already playing.
   */
  function next(): Promise<void> {
    const coming = state.value.queue[nextIndex(state.value, 'user')];
    if (coming && (status.value === 'playing' || status.value === 'paused')) {
      void sendMessage('offscreen/advance', { trackId: coming.id }).catch(() => {});
    }
    return send('player/next', {});
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

  const playAt = (at: number) => send('player/jump', { index: at });
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
    toggle: () => send('player/toggle', {}),
    play: () => send('player/play', {}),
    pause: () => send('player/pause', {}),
    next,
    previous: () => send('player/previous', {}),
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
