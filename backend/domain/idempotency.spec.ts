import { describe, expect, it } from 'vitest';
import { chunkBounds, claimFor, IDEMPOTENCY_KEY_TTL_SECONDS, planChunks, requestFingerprint } from './idempotency';

describe('idempotency keys', () => {
  it('fingerprints method, path and body, ignoring key order', () => {
    const body = { trackIds: ['tr_a', 'tr_b'], position: 'end' };
    const print = requestFingerprint('POST', '/playlists/pl_1/entries', body);
    expect(requestFingerprint('post', '/playlists/pl_1/entries', { position: 'end', trackIds: ['tr_a', 'tr_b'] })).toBe(print);
    expect(requestFingerprint('POST', '/playlists/pl_1/entries', { ...body, trackIds: ['tr_b', 'tr_a'] })).not.toBe(print);
    expect(requestFingerprint('POST', '/playlists/pl_2/entries', body)).not.toBe(print);
    expect(requestFingerprint('PUT', '/playlists/pl_1/entries', body)).not.toBe(print);
    expect(requestFingerprint('POST', '/playlists/pl_1/entries', { ...body, position: { before: 'en_1' } })).not.toBe(print);
  });

  it('expires a claim a day after the request', () => {
    const claim = claimFor('k', 'f', new Date('2025-03-01T12:00:00.900Z'));
    expect(claim.now).toBe(Date.parse('2025-03-01T12:00:00Z') / 1000);
    expect(claim.expiresAt - claim.now).toBe(IDEMPOTENCY_KEY_TTL_SECONDS);
  });
});

describe('planChunks', () => {
  it('splits evenly into as few writes as the capacity allows', () => {
    expect(planChunks(0, 98)).toEqual([]);
    expect(planChunks(1, 98)).toEqual([1]);
    expect(planChunks(98, 98)).toEqual([98]);
    expect(planChunks(99, 98)).toEqual([50, 49]);
    expect(planChunks(100, 98)).toEqual([50, 50]);
    expect(planChunks(7, 3)).toEqual([3, 2, 2]);
    for (let total = 1; total <= 300; total++) {
      const chunks = planChunks(total, 98);
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(total);
      expect(chunks.length).toBe(Math.ceil(total / 98));
      expect(Math.max(...chunks) - Math.min(...chunks)).toBeLessThanOrEqual(1);
    }
    expect(() => planChunks(5, 0)).toThrow(RangeError);
  });

  it('gives each chunk its slice of the entries', () => {
    const chunks = planChunks(7, 3);
    expect([0, 1, 2].map((i) => chunkBounds(chunks, i))).toEqual([
      [0, 3],
      [3, 5],
      [5, 7],
    ]);
  });
});
