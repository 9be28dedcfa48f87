import { describe, expect, it } from 'vitest';
import { likeParamsSchema, playsRequestSchema, updateSettingsSchema } from './listening';

const play = (overrides: Record<string, unknown> = {}) => ({
  id: '3f1c2d9e-7a41-4d2b-9d3e-1c0b5a6f7e80',
  trackId: 'tr_abc',
  startedAt: '2026-05-01T18:30:00Z',
  msPlayed: 240_000,
  ...overrides,
});

/** The field the first issue names, as the 400 would. */
const fieldOf = (input: unknown) => {
  const result = playsRequestSchema.safeParse(input);
  return result.success ? undefined : result.error.issues[0]?.path.join('.');
};

describe('listening requests', () => {
  it('takes 1–50 plays and names the field of the first bad one', () => {
    expect(playsRequestSchema.parse({ plays: [play()] }).plays).toHaveLength(1);
    expect(playsRequestSchema.safeParse({ plays: Array.from({ length: 50 }, (_, i) => play({ id: `p${i}` })) }).success).toBe(true);
    expect(fieldOf({ plays: Array.from({ length: 51 }, (_, i) => play({ id: `p${i}` })) })).toBe('plays');
    expect(fieldOf({ plays: [] })).toBe('plays');
    expect(fieldOf({})).toBe('plays');
    expect(fieldOf({ plays: [play(), play({ trackId: '../etc' })] })).toBe('plays.1.trackId');
    expect(fieldOf({ plays: [play({ id: 'x'.repeat(65) })] })).toBe('plays.0.id');
  });

  it('accepts ISO times with a zone only, and 0 ms to a day', () => {
    for (const startedAt of ['2026-05-01T18:30:00Z', '2026-05-01T18:30:00.123+02:00']) {
      expect(fieldOf({ plays: [play({ startedAt })] }), startedAt).toBeUndefined();
    }
    for (const startedAt of ['2026-05-01', '2026-05-01T18:30:00', 'yesterday', 1_700_000_000_000]) {
      expect(fieldOf({ plays: [play({ startedAt })] }), String(startedAt)).toBe('plays.0.startedAt');
    }
    expect(fieldOf({ plays: [play({ msPlayed: 0 })] })).toBeUndefined();
    expect(fieldOf({ plays: [play({ msPlayed: 86_400_000 })] })).toBeUndefined();
    for (const msPlayed of [-1, 86_400_001, 1.5, '100'])
      expect(fieldOf({ plays: [play({ msPlayed })] }), String(msPlayed)).toBe('plays.0.msPlayed');
  });

  it('checks like paths and settings', () => {
    expect(likeParamsSchema.parse({ trackId: ' tr_abc ' })).toEqual({ trackId: 'tr_abc' });
    expect(likeParamsSchema.safeParse({ trackId: 'a/b' }).success).toBe(false);
    expect(updateSettingsSchema.parse({ historyPaused: true })).toEqual({ historyPaused: true });
    expect(updateSettingsSchema.safeParse({ historyPaused: 'yes' }).success).toBe(false);
    expect(updateSettingsSchema.safeParse({}).success).toBe(false);
  });
});
