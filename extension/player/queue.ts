import type { Track } from '@@/shared/api';

/** What happens after the last track: stop, start over, or play the current track again. */
export type RepeatMode = 'off' | 'all' | 'one';

/**
 * The queue as the player keeps it: `queue` is the play order (shuffled when `shuffle` is on)
 * and `unshuffled` the order it came in, restored when shuffle is turned off.
 * Every function here is pure: it returns a new queue and never touches its input.
 */
export interface QueueState {
  queue: Track[];
  /** Index into `queue` of the current track; -1 when nothing is queued. */
  index: number;
  shuffle: boolean;
  repeat: RepeatMode;
  /** The order before shuffling; present only while `shuffle` is on. */
  unshuffled?: Track[];
}

/** A source of numbers in [0, 1); `Math.random` in production, seeded in specs. */
export type Random = () => number;

/** Pressing "previous" later than this many seconds into a track restarts it instead. */
const RESTART_THRESHOLD_SEC = 3;

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: Random = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A new queue of `tracks` starting at `index`; when shuffling, that track plays first and the rest follow in random order. */
export function startQueue(
  tracks: readonly Track[],
  index: number,
  options: Pick<QueueState, 'shuffle' | 'repeat'>,
  random: Random = Math.random,
): QueueState {
  if (!Number.isInteger(index) || index < 0 || index >= tracks.length) throw new RangeError('index is outside the track list');
  if (!options.shuffle) return { queue: [...tracks], index, shuffle: false, repeat: options.repeat };
  const rest = tracks.filter((_, i) => i !== index);
  return { queue: [tracks[index]!, ...shuffled(rest, random)], index: 0, shuffle: true, repeat: options.repeat, unshuffled: [...tracks] };
}

/**
 * The index to play after the current one, or -1 to stop. `auto` is a track ending on its
 * own (repeat-one plays it again); `user` is the "next" button (always moves on).
 */
export function nextIndex(q: QueueState, reason: 'auto' | 'user'): number {
  if (q.index < 0 || q.queue.length === 0) return -1;
  if (reason === 'auto' && q.repeat === 'one') return q.index;
  if (q.index + 1 < q.queue.length) return q.index + 1;
  return q.repeat === 'off' ? -1 : 0;
}

/**
 * Where "previous" goes: the same track from the start when more than three seconds in (or
 * at the top of the queue without repeat), otherwise the track before (wrapping with repeat).
 */
export function previousIndex(q: QueueState, positionSec: number): { index: number; restart: boolean } {
  if (q.index < 0) return { index: -1, restart: false };
  if (positionSec > RESTART_THRESHOLD_SEC) return { index: q.index, restart: true };
  if (q.index > 0) return { index: q.index - 1, restart: false };
  if (q.repeat !== 'off' && q.queue.length > 1) return { index: q.queue.length - 1, restart: false };
  return { index: q.index, restart: true };
}

/** Turns shuffle on (current track stays current, the rest is shuffled) or off (the original order comes back). */
export function setShuffle(q: QueueState, on: boolean, random: Random = Math.random): QueueState {
  if (on === q.shuffle) return q;
  if (on) {
    if (q.index < 0) return { ...q, shuffle: true, unshuffled: [...q.queue], queue: shuffled(q.queue, random) };
    const current = q.queue[q.index]!;
    const rest = q.queue.filter((_, i) => i !== q.index);
    return { ...q, shuffle: true, unshuffled: [...q.queue], queue: [current, ...shuffled(rest, random)], index: 0 };
  }
  const original = q.unshuffled ?? q.queue;
  const current = q.queue[q.index];
  const found = current ? original.findIndex((t) => t.id === current.id) : -1;
  const { unshuffled: _dropped, ...rest } = q;
  return { ...rest, shuffle: false, queue: [...original], index: found >= 0 ? found : Math.min(q.index, original.length - 1) };
}

/** Appends `tracks` (`end`) or inserts them right after the current track (`next`). */
export function addTracks(q: QueueState, tracks: readonly Track[], where: 'end' | 'next'): QueueState {
  if (tracks.length === 0) return q;
  const at = where === 'next' && q.index >= 0 ? q.index + 1 : q.queue.length;
  const queue = [...q.queue.slice(0, at), ...tracks, ...q.queue.slice(at)];
  const index = q.index >= 0 ? q.index : 0;
  if (!q.unshuffled) return { ...q, queue, index };
  const current = q.queue[q.index];
  const pos = where === 'next' && current ? q.unshuffled.findIndex((t) => t.id === current.id) + 1 : 0;
  const unshuffled = pos > 0 ? [...q.unshuffled.slice(0, pos), ...tracks, ...q.unshuffled.slice(pos)] : [...q.unshuffled, ...tracks];
  return { ...q, queue, index, unshuffled };
}

/**
 * Removes the track at `at`. When it was the current one, the track that slid into its place
 * becomes current (`removedCurrent`), or the one before when it was the last.
 */
export function removeAt(q: QueueState, at: number): QueueState & { removedCurrent: boolean } {
  if (!Number.isInteger(at) || at < 0 || at >= q.queue.length) throw new RangeError('index is outside the queue');
  const removed = q.queue[at]!;
  const queue = q.queue.filter((_, i) => i !== at);
  const removedCurrent = at === q.index;
  let index = at < q.index ? q.index - 1 : q.index;
  if (index >= queue.length) index = queue.length - 1;
  const next: QueueState = { ...q, queue, index };
  if (q.unshuffled) {
    const u = q.unshuffled.findIndex((t) => t.id === removed.id);
    next.unshuffled = u >= 0 ? q.unshuffled.filter((_, i) => i !== u) : q.unshuffled;
  }
  return { ...next, removedCurrent };
}

/** Moves the track at `from` to `to`; the current track stays current wherever it ends up. */
export function moveTrack(q: QueueState, from: number, to: number): QueueState {
  const n = q.queue.length;
  for (const i of [from, to]) if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError('index is outside the queue');
  if (from === to) return q;
  const queue = [...q.queue];
  const [track] = queue.splice(from, 1);
  queue.splice(to, 0, track!);
  let index = q.index;
  if (from === q.index) index = to;
  else if (from < q.index && to >= q.index) index--;
  else if (from > q.index && to <= q.index) index++;
  return { ...q, queue, index };
}

/** Empties the queue except for the current track, which keeps playing. */
export function clearQueue(q: QueueState): QueueState {
  const current = q.queue[q.index];
  const { unshuffled: _dropped, ...rest } = q;
  if (!current) return { ...rest, queue: [], index: -1, ...(q.shuffle && { unshuffled: [] }) };
  return { ...rest, queue: [current], index: 0, ...(q.shuffle && { unshuffled: [current] }) };
}
