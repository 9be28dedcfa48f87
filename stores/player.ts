import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Track } from '@/backend/domain/catalog';
import { sendMessage } from '@/utils/messages';
import { currentTrack, IDLE_PLAYER_STATE, playerStateItem, type PlayerState } from '@/utils/player/player-state';

/** The popup's view of the background player; the popup never plays audio itself. */
export const usePlayerStore = defineStore('player', () => {
  /** The player state, painted from `storage.session` and kept in sync with it. */
  const state = shallowRef<PlayerState>({ ...IDLE_PLAYER_STATE });

  /** The track playing, loading or paused; undefined when idle with an empty queue. */
  const track = computed(() => currentTrack(state.value));
  const status = computed(() => state.value.status);
  const error = computed(() => state.value.error);
  let unwatch: (() => void) | undefined;

  /** Paints the stored state and follows the background's updates. */
  async function restore(): Promise<void> {
    state.value = await playerStateItem.getValue();
    unwatch ??= playerStateItem.watch((next) => {
      state.value = next ?? { ...IDLE_PLAYER_STATE };
    });
  }

  async function send(run: () => Promise<PlayerState>): Promise<void> {
    try {
      state.value = await run();
    } catch (cause) {
      state.value = { ...state.value, status: 'paused', error: cause instanceof Error ? cause.message : String(cause) };
    }
  }

  /** Plays `tracks[index]`, queueing the rest. */
  function playTracks(tracks: Track[], index: number): Promise<void> {
    // Show "loading" at once; the background confirms through storage.
    state.value = { ...state.value, status: 'loading', queue: tracks, index, error: undefined };
    return send(() => sendMessage('player/play-tracks', { tracks, index }));
  }

  function toggle(): Promise<void> {
    return send(() => sendMessage('player/toggle', {}));
  }

  return { state, track, status, error, restore, playTracks, toggle };
});
