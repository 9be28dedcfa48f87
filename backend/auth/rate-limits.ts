/** A limit of `limit` events per sliding window of `windowSeconds`. */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitSettings {
  /** Login attempts from one client IP. */
  loginPerIp: RateWindow;
  /** Failed password checks against one account (login, password change, deletion). */
  failuresPerAccount: RateWindow;
  /** Registrations from one client IP. */
  registerPerIp: RateWindow;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerIp: { limit: 60, windowSeconds: 5 * 60 },
  failuresPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  registerPerIp: { limit: 30, windowSeconds: 10 * 60 },
};

/**
 * In-memory sliding-window counter. Per process: with several processes behind a balancer
 * each keeps its own counts, so the effective limit multiplies (nginx's limit_req backs it up).
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly windowMs: number;

  constructor(
    private readonly window: RateWindow,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = window.windowSeconds * 1000;
  }

  /** Seconds until `key` may try again, or 0 when it is under the limit. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.window.limit) return 0;
    const oldestThatCounts = recent[recent.length - this.window.limit]!;
    return Math.max(1, Math.ceil((oldestThatCounts + this.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    // Keep only what can still matter, so one noisy key can't grow without bound.
    this.hits.set(key, recent.slice(-this.window.limit));
    if (this.hits.size > 10_000) this.prune();
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.hits.get(key) ?? []).filter((time) => time > cutoff);
  }

  private prune() {
    const cutoff = this.now() - this.windowMs;
    for (const [key, times] of this.hits) {
      if (times.every((time) => time <= cutoff)) this.hits.delete(key);
    }
  }
}
