import { describe, expect, it } from 'vitest';
import { makeTracks } from '@@/test/extension/factories';
import {
  addTracks,
  clearQueue,
  moveTrack,
  nextIndex,
  previousIndex,
  removeAt,
  setShuffle,
  shuffled,
  startQueue,
  type QueueState,
} from './queue';

/** A deterministic `Math.random` stand-in (mulberry32). */
function seeded(seed = 42) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tracks = makeTracks(5);
const ids = (q: QueueState) => q.queue.map((t) => t.id);
const at = (index: number, over: Partial<QueueState> = {}): QueueState => ({
  queue: tracks,
  index,
  shuffle: false,
  repeat: 'off',
  ...over,
});

describe('queue: starting and moving on', () => {
  it('starts at the picked track in list order', () => {
    expect(startQueue(tracks, 2, { shuffle: false, repeat: 'off' })).toEqual({ queue: tracks, index: 2, shuffle: false, repeat: 'off' });
  });

  it('when shuffling, plays the picked track first and keeps the original order aside', () => {
    const q = startQueue(tracks, 3, { shuffle: true, repeat: 'all' }, seeded());
    expect(q.index).toBe(0);
    expect(q.queue[0]).toBe(tracks[3]);
    expect([...ids(q)].sort()).toEqual([...tracks.map((t) => t.id)].sort());
    expect(q.unshuffled).toEqual(tracks);
  });

  it('rejects an index outside the list', () => {
    expect(() => startQueue(tracks, 5, { shuffle: false, repeat: 'off' })).toThrow(RangeError);
    expect(() => startQueue([], 0, { shuffle: false, repeat: 'off' })).toThrow(RangeError);
  });

  it.each([
    ['off', 1, 'auto', 2],
    ['off', 4, 'auto', -1],
    ['off', 4, 'user', -1],
    ['all', 4, 'auto', 0],
    ['all', 4, 'user', 0],
    ['one', 1, 'auto', 1],
    ['one', 1, 'user', 2],
    ['one', 4, 'user', 0],
  ] as const)('repeat %s at %i (%s) goes to %i', (repeat, index, reason, expected) => {
    expect(nextIndex(at(index, { repeat }), reason)).toBe(expected);
  });

  it('has nothing next for an empty queue', () => {
    expect(nextIndex({ queue: [], index: -1, shuffle: false, repeat: 'all' }, 'auto')).toBe(-1);
  });
});

describe('queue: previous', () => {
  it('restarts the current track when more than 3 s in', () => {
    expect(previousIndex(at(2), 3.5)).toEqual({ index: 2, restart: true });
  });

  it('goes to the track before within the first 3 s', () => {
    expect(previousIndex(at(2), 3)).toEqual({ index: 1, restart: false });
  });

  it('restarts the first track without repeat, and wraps to the last with repeat all', () => {
    expect(previousIndex(at(0), 1)).toEqual({ index: 0, restart: true });
    expect(previousIndex(at(0, { repeat: 'all' }), 1)).toEqual({ index: 4, restart: false });
  });

  it('does nothing with an empty queue', () => {
    expect(previousIndex({ queue: [], index: -1, shuffle: false, repeat: 'off' }, 0).index).toBe(-1);
  });
});

describe('queue: shuffle', () => {
  it('is a permutation and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5, 6];
    const out = shuffled(input, seeded(7));
    expect([...out].sort()).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the current track current when turned on, and restores the order when turned off', () => {
    const on = setShuffle(at(2), true, seeded());
    expect(on.queue[on.index]).toBe(tracks[2]);
    expect(on.index).toBe(0);
    const off = setShuffle({ ...on, index: 3 }, false);
    expect(off.queue).toEqual(tracks);
    expect(off.index).toBe(tracks.indexOf(on.queue[3]!));
    expect(off).not.toHaveProperty('unshuffled');
  });

  it('is a no-op when already in the asked mode', () => {
    const q = at(1);
    expect(setShuffle(q, false)).toBe(q);
  });
});

describe('queue: editing', () => {
  const extra = makeTracks(2);

  it('adds to the end, or right after the current track', () => {
    expect(ids(addTracks(at(1), extra, 'end')).slice(-2)).toEqual(extra.map((t) => t.id));
    const next = addTracks(at(1), extra, 'next');
    expect(ids(next).slice(2, 4)).toEqual(extra.map((t) => t.id));
    expect(next.index).toBe(1);
  });

  it('makes the first added track current in an empty queue', () => {
    expect(addTracks({ queue: [], index: -1, shuffle: false, repeat: 'off' }, extra, 'next')).toMatchObject({ index: 0, queue: extra });
  });

  it('keeps the original order in step while shuffled', () => {
    const on = setShuffle(at(1), true, seeded());
    const added = addTracks(on, extra, 'next');
    expect(added.queue[added.index + 1]).toBe(extra[0]);
    expect(added.unshuffled!.slice(2, 4)).toEqual(extra);
    const removed = removeAt(added, added.index + 1);
    expect(removed.unshuffled).not.toContain(extra[0]);
  });

  it('removes before, after and at the current track', () => {
    expect(removeAt(at(2), 0)).toMatchObject({ index: 1, removedCurrent: false });
    expect(removeAt(at(2), 4)).toMatchObject({ index: 2, removedCurrent: false });
    const current = removeAt(at(2), 2);
    expect(current).toMatchObject({ index: 2, removedCurrent: true });
    expect(current.queue[2]).toBe(tracks[3]);
    expect(removeAt(at(4), 4)).toMatchObject({ index: 3, removedCurrent: true });
    expect(removeAt({ ...at(0), queue: [tracks[0]!] }, 0)).toMatchObject({ index: -1, queue: [] });
    expect(() => removeAt(at(0), 9)).toThrow(RangeError);
  });

  it('moves a track and keeps the current one current', () => {
    const cases: [number, number, number, number][] = [
      // [current, from, to, expected current]
      [2, 2, 0, 0],
      [2, 0, 4, 1],
      [2, 4, 0, 3],
      [2, 0, 1, 2],
      [2, 3, 4, 2],
      [2, 1, 2, 1],
      [2, 3, 2, 3],
    ];
    for (const [current, from, to, expected] of cases) {
      const moved = moveTrack(at(current), from, to);
      expect(moved.index, `${from}→${to}`).toBe(expected);
      expect(moved.queue[moved.index]).toBe(tracks[current]);
      expect(moved.queue[to]).toBe(tracks[from]);
    }
    expect(() => moveTrack(at(0), 0, 5)).toThrow(RangeError);
  });

  it('clears everything but the current track', () => {
    expect(clearQueue(at(3))).toEqual({ queue: [tracks[3]], index: 0, shuffle: false, repeat: 'off' });
    expect(clearQueue({ queue: [], index: -1, shuffle: false, repeat: 'off' })).toMatchObject({ queue: [], index: -1 });
    expect(clearQueue(setShuffle(at(3), true, seeded())).unshuffled).toEqual([tracks[3]]);
  });
});
