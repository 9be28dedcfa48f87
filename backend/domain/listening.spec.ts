import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { acceptPlays, dayCountExpiresAt, dayOf, MAX_FUTURE_SKEW_MS, MAX_PLAY_AGE_MS } from './listening';

const now = new Date('2026-05-10T12:00:00.000Z');
const play = (id: string, startedAt: string, trackId = 'tr_a') => ({ id, trackId, startedAt, msPlayed: 200_000 });
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

/** The error `acceptPlays` throws, or undefined. */
function refusal(...plays: ReturnType<typeof play>[]): AppError | undefined {
  try {
    acceptPlays(plays, now);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
}

describe('acceptPlays', () => {
  it('stores starts in UTC, so plays sort by their text', () => {
    const { plays } = acceptPlays([play('p1', '2026-05-10T13:30:00+02:00'), play('p2', '2026-05-09T23:59:59.5Z')], now);
    expect(plays.map((p) => p.startedAt)).toEqual(['2026-05-10T11:30:00.000Z', '2026-05-09T23:59:59.500Z']);
    expect(plays[0]).toEqual({ id: 'p1', trackId: 'tr_a', startedAt: '2026-05-10T11:30:00.000Z', msPlayed: 200_000 });
  });

  it('takes a start up to 5 minutes ahead and up to a year ago, and names the field of one beyond', () => {
    expect(refusal(play('p1', at(MAX_FUTURE_SKEW_MS)), play('p2', at(-MAX_PLAY_AGE_MS)))).toBeUndefined();

    const ahead = refusal(play('p1', at(0)), play('p2', at(MAX_FUTURE_SKEW_MS + 1000)));
    expect(ahead).toMatchObject({ code: 'invalid_input', field: 'plays.1.startedAt' });
    expect(ahead?.message).toMatch(/^plays\.1\.startedAt: lies in the future/);

    const old = refusal(play('p1', at(-MAX_PLAY_AGE_MS - 1000)));
    expect(old).toMatchObject({ code: 'invalid_input', field: 'plays.0.startedAt' });
    expect(old?.message).toMatch(/more than a year ago/);
  });

  it('keeps the first of repeated ids and counts the others', () => {
    const { plays, repeats } = acceptPlays([play('p1', at(-1000)), play('p2', at(-2000)), play('p1', at(-3000), 'tr_b')], now);
    expect(plays.map((p) => [p.id, p.trackId])).toEqual([
      ['p1', 'tr_a'],
      ['p2', 'tr_a'],
    ]);
    expect(repeats).toBe(1);
  });
});

describe('day counts', () => {
  it('count toward the UTC day of the start and expire 9 days after that day began', () => {
    expect(dayOf('2026-05-09T23:59:59.999Z')).toBe('2026-05-09');
    expect(dayOf('2026-05-10T00:00:00.000Z')).toBe('2026-05-10');
    expect(dayCountExpiresAt('2026-05-09T23:59:59.999Z')).toBe(Date.parse('2026-05-18T00:00:00Z') / 1000);
    expect(Number.isInteger(dayCountExpiresAt('2026-05-09T10:11:12.345Z'))).toBe(true);
  });
});
