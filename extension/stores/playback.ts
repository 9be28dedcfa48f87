import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, watch } from 'vue';
import type { Track } from '@@/backend/domain/catalog';
import { useNoticeStore } from './notice';
import { usePlayerStore } from './player';

/**
 * The now-playing bar's and queue view's model over `stores/player.ts`: a smooth elapsed
 * time, the upcoming tracks, and queue actions counted from the first upcoming track.
 */
export const usePlaybackStore = defineStore('playback', () => {
  const player = usePlayerStore();
  const notice = useNoticeStore();

  /** Tracks after the current one, in play order. */
  const upcoming = computed(() => player.queue.slice(player.index + 1));
  /** Length of the current track in seconds (0 when unknown). */
  const durationSec = computed(() => player.duration || (player.track?.durationMs ?? 0) / 1000);
  const hasNext = computed(() => player.index + 1 < player.queue.length || player.repeat !== 'off');
  const hasPrevious = computed(() => player.index >= 0);

  // Between the player's position reports (or before its port connects), time moves on locally.
  const now = ref(Date.now());
  let since = Date.now();
  const timer = setInterval(() => (now.value = Date.now()), 250);
  onScopeDispose(() => clearInterval(timer));
  watch(
    () => [player.position, player.status, player.index] as const,
    () => (since = now.value = Date.now()),
    { immediate: true },
  );

  /** Seconds into the current track. */
  const elapsedSec = computed(() => {
    const ticking = player.status === 'playing' ? Math.max(0, now.value - since) / 1000 : 0;
    return Math.min(player.position + ticking, durationSec.value || Infinity);
  });

  /** Queues `tracks` right after the current one (or plays them when nothing is queued). */
  async function playNext(tracks: Track[]): Promise<void> {
    await (player.track ? player.playNext(tracks) : player.playTracks(tracks, 0));
    if (!player.error) notice.show(tracks.length === 1 ? `“${tracks[0]!.title}” plays next.` : `${tracks.length} tracks play next.`);
  }

  /** Queues `tracks` at the end (or plays them when nothing is queued). */
  async function addToQueue(tracks: Track[]): Promise<void> {
    await (player.track ? player.addToQueue(tracks) : player.playTracks(tracks, 0));
    if (!player.error) notice.show(tracks.length === 1 ? `Added “${tracks[0]!.title}” to the queue.` : `Added ${tracks.length} tracks to the queue.`);
  }

  const base = () => player.index + 1;
  const moveUpcoming = (from: number, to: number) => player.moveInQueue(base() + from, base() + to);
  const removeUpcoming = (at: number) => player.removeFromQueue(base() + at);
  const playUpcoming = (at: number) => player.playAt(base() + at);

  return { upcoming, durationSec, elapsedSec, hasNext, hasPrevious, playNext, addToQueue, moveUpcoming, removeUpcoming, playUpcoming };
});
