import type { Middleware } from 'koa';
import { addressKey } from '../client-address';
import type { AuthState } from '../deps';
import { AuthError } from '../errors';
import { consume, giveBack, type Limiter } from '../rate-limits';

/** Counts every request from the client address (IPv6: its /64); 429 with Retry-After over the limit. */
export function limitByAddress(limiter: Limiter): Middleware<AuthState> {
  return async (ctx, next) => {
    await consume(limiter, addressKey(ctx.ip));
    return next();
  };
}

const isWrongPassword = (error: unknown) => error instanceof AuthError && error.publicCode === 'wrong_password';

/**
 * Limits wrong current passwords of the signed-in user (password change, account deletion).
 * Each request is counted before the password is checked, so parallel requests can't overrun
 * the limit, and given back unless the password was wrong.
 */
export function limitWrongPasswords(limiter: Limiter): Middleware<AuthState> {
  return async (ctx, next) => {
    const key = ctx.state.userId!;
    await consume(limiter, key);
    try {
      await next();
    } catch (error) {
      if (!isWrongPassword(error)) await giveBack(limiter, key);
      throw error;
    }
    await giveBack(limiter, key);
  };
}
