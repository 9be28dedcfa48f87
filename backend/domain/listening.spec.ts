import { describe, expect, it } from 'vitest';
import { acceptPlays, dayCountExpiresAt, dayOf, MAX_FUTURE_SKEW_MS, MAX_PLAY_AGE_MS } from './listening';

const now = new Date('2026-05-10T12:00:00.000Z');
const play = (id: string, startedAt: string, trackId = 'tr_a') => ({ id, trackId, startedAt, msPlayed: 200_000 });
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

describe('acceptPlays', () => {
  it('stores starts in UTC, so plays sort by their text', () => {
    const { plays } = acceptPlays([play('p1', '2026-05-10T13:30:00+02:00'), play('p2', '2026-05-09T23:59:59.5Z')], now);
    expect(plays.map((p) => p.startedAt)).toEqual(['2026-05-10T11:30:00.000Z', '2026-05-09T23:59:59.500Z']);
    expect(plays[0]).toEqual({ id: 'p1', trackId: 'tr_a', startedAt: '2026-05-10T11:30:00.000Z', msPlayed: 200_000 });
  });

  it('takes a start up to 5 minutes ahead and up to a year ago, and refuses one beyond by its id', () => {
    const edges = acceptPlays([play('p1', at(MAX_FUTURE_SKEW_MS)), play('p2', at(-MAX_PLAY_AGE_MS))], now);
    expect(edges).toMatchObject({ refused: [], repeats: 0 });
    expect(edges.plays.map((p) => p.id)).toEqual(['p1', 'p2']);

    const mixed = acceptPlays(
      [play('p1', at(0)), play('p2', at(MAX_FUTURE_SKEW_MS + 1000)), play('p3', at(-MAX_PLAY_AGE_MS - 1000)), play('p4', at(-1000))],
      now,
    );
    expect(mixed.plays.map((p) => p.id)).toEqual(['p1', 'p4']);
    expect(mixed).toMatchObject({ refused: ['p2', 'p3'], repeats: 0 });
  });

  it('still throws for a start that is not a time (the request schema refuses it first)', () => {
    expect(() => acceptPlays([play('p1', 'yesterday')], now)).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'plays.0.startedAt' }),
    );
  });

  it('keeps the first of repeated ids and counts the others', () => {
    const { plays, repeats } = acceptPlays(
      [
        play('p1', at(-1000)),
        play('p2', at(-2000)),
        play('p1', at(-3000), 'tr_b'),
        play('p3', at(-MAX_PLAY_AGE_MS * 2)),
        play('p3', at(-1000)),
      ],
      now,
    );
    expect(plays.map((p) => [p.id, p.trackId])).toEqual([
      ['p1', 'tr_a'],
      ['p2', 'tr_a'],
    ]);
    expect(repeats).toBe(2);
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
