import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { again, retrying, sendUntilProcessed } from './retry';

/** Runs `work` with the timers fast-forwarded; the waits between the calls `work` made to `calls`. */
async function waitsBetween(calls: number[], work: () => Promise<unknown>): Promise<number[]> {
  const done = work().catch(() => undefined);
  await vi.runAllTimersAsync();
  await done;
  return calls.slice(1).map((at, i) => at - calls[i]!);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('sendUntilProcessed', () => {
  it('waits 50–100 ms before the first resend, then twice as long each time, at most 1.6 s', async () => {
    for (const [random, expected] of [
      [0, [50, 100, 200, 400, 800, 800, 800]],
      // Timers count whole milliseconds: 99.95 ms runs as 99.
      [0.999, [99, 199, 399, 799, 1599, 1599, 1599]],
    ] as const) {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const calls: number[] = [];
      const waits = await waitsBetween(calls, () =>
        sendUntilProcessed(['a'], async (pending) => {
          calls.push(Date.now());
          return calls.length < 8 ? pending : [];
        }),
      );
      expect(waits).toEqual(expected);
    }
  });

  it('gives up as unavailable after eight sends', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let sends = 0;
    const outcome = sendUntilProcessed(['a'], async (pending) => (sends++, pending), 'Busy');
    const settled = outcome.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await settled).toMatchObject({ code: 'unavailable', message: 'Busy' });
    expect(sends).toBe(8);
  });
});

describe('retrying', () => {
  it('waits 25–50 ms before the second attempt by default, or as long as asked', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    for (const [options, expected] of [
      [{}, [25, 50, 100]],
      [{ firstBackoffMs: 100 }, [50, 100, 200]],
    ] as const) {
      const calls: number[] = [];
      const waits = await waitsBetween(calls, () =>
        retrying(
          async () => {
            calls.push(Date.now());
            return calls.length < 4 ? again() : 'done';
          },
          { maxAttempts: 8, giveUp: () => new Error('gave up'), ...options },
        ),
      );
      expect(waits).toEqual(expected);
    }
  });
});
