import { describe, expect, it } from 'vitest';
import { firstPlayRow, pollUntil, warmPlayRow } from '../../bench/lib/player-runs';
import { addedOverFloor, noisyLoad } from '../../bench/lib/report';

const rows = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}` }));

describe('the player bench: which rows it clicks', () => {
  it('plays a pre-warmed home row first (row 0 or 1, by turns), never the track already loaded', () => {
    expect([0, 1, 2, 3].map((run) => firstPlayRow(rows, run, undefined))).toEqual([0, 1, 0, 1]);
    expect(firstPlayRow(rows, 0, 't0')).toBe(1);
    expect(firstPlayRow(rows, 1, 't1')).toBe(0);
  });

  it('plays a row the popup does not pre-warm, and one with a next row to preload', () => {
    const picked = Array.from({ length: 30 }, (_, run) => warmPlayRow(rows, run, undefined));
    for (const index of picked) {
      // Rows 0 and 1 are pre-warmed; row 2 is the next track (preloaded) after a first play on row 1.
      expect(index).toBeGreaterThanOrEqual(3);
      expect(index).toBeLessThan(rows.length - 1);
    }
    expect(new Set(picked).size).toBeGreaterThan(1);
  });

  it('never plays warm the track loaded before the first play: an open popup pre-warms that one too', () => {
    const loaded = rows[warmPlayRow(rows, 5, undefined)]!.id;
    const index = warmPlayRow(rows, 5, loaded);
    expect(rows[index]!.id).not.toBe(loaded);
    expect(index).toBeGreaterThanOrEqual(3);
    expect(index).toBeLessThan(rows.length - 1);
  });

  it('refuses a home feed too short to hold both', () => {
    expect(() => warmPlayRow(rows.slice(0, 5), 0, undefined)).toThrow(/home rows/);
  });
});

describe('the player bench: waiting and figures', () => {
  it('throws when the condition does not hold in time, naming what it waited for', async () => {
    await expect(pollUntil(async () => false, 'the next track buffered', 60, 10)).rejects.toThrow(/the next track buffered.*60 ms/);
    let calls = 0;
    await expect(pollUntil(async () => ++calls >= 3, 'three calls', 1000, 1)).resolves.toBeUndefined();
  });

  it('takes what the product adds over the floor as the median of the paired differences', () => {
    // Medians alone would give 50 − 10 = 40; the runs' own differences say 12.
    expect(addedOverFloor([12, 50, 90], [0, 10, 80])).toBe(12);
    expect(() => addedOverFloor([1, 2], [1])).toThrow(/pairs/);
  });

  it('calls a run noisy when the 1-minute load exceeds the CPU count', () => {
    expect(noisyLoad(2.5, 2)).toBe(true);
    expect(noisyLoad(2, 2)).toBe(false);
  });
});
