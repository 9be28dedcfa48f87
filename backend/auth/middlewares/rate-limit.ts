import type { Middleware } from 'koa';
import { normalizeEmail } from '../auth-repository';
import type { AuthState } from '../deps';
import { AuthError, rateLimited } from '../errors';
import type { SlidingWindowLimiter } from '../rate-limits';

/** Counts every request from the client IP; 429 with Retry-After over the limit. */
export function limitByIp(limiter: SlidingWindowLimiter, scope: string): Middleware<AuthState> {
  return async (ctx, next) => {
    const key = `${scope}:${ctx.ip}`;
    const retryAfter = limiter.retryAfterSeconds(key);
    if (retryAfter > 0) throw rateLimited(retryAfter);
    limiter.hit(key);
    return next();
  };
}

const isPasswordFailure = (error: unknown) =>
  error instanceof AuthError && (error.publicCode === 'invalid_credentials' || error.publicCode === 'wrong_password');

/**
 * Counts failed password checks per account (the email being tried, or the signed-in user),
 * so guessing one account's password is slow even from many IPs. Successful attempts don't count,
 * which keeps a stranger from locking a user out by merely trying.
 */
export function limitFailuresByAccount(limiter: SlidingWindowLimiter): Middleware<AuthState> {
  return async (ctx, next) => {
    const email = (ctx.state.input as { email?: unknown } | undefined)?.email;
    const key = typeof email === 'string' ? `email:${normalizeEmail(email)}` : `user:${ctx.state.userId ?? ''}`;
    const retryAfter = limiter.retryAfterSeconds(key);
    if (retryAfter > 0) throw rateLimited(retryAfter);
    try {
      await next();
    } catch (error) {
      if (isPasswordFailure(error)) limiter.hit(key);
      throw error;
    }
  };
}
