import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limits';

describe('SlidingWindowLimiter', () => {
  it('allows up to the limit per window, then reports when to retry', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter({ limit: 3, windowSeconds: 60 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('ip')).toBe(0);
      limiter.hit('ip');
      now += 10_000;
    }
    expect(limiter.retryAfterSeconds('ip')).toBe(30);
    expect(limiter.retryAfterSeconds('other')).toBe(0);
    now += 30_000;
    expect(limiter.retryAfterSeconds('ip')).toBe(0);
  });

  it('slides: old hits stop counting one by one', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 2, windowSeconds: 10 }, () => now);
    limiter.hit('k');
    now = 5_000;
    limiter.hit('k');
    now = 9_000;
    expect(limiter.retryAfterSeconds('k')).toBe(1);
    now = 10_001;
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    limiter.hit('k');
    expect(limiter.retryAfterSeconds('k')).toBe(5);
  });
});
