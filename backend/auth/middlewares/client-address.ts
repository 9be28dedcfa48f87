import type { Middleware } from 'koa';
import { clientAddressResolver } from '../client-address';
import type { AuthState } from '../deps';

/**
 * Sets `ctx.ip` to the client's address before anything reads it: X-Forwarded-For counts only
 * when a trusted proxy sent it (client-address.ts). Koa's own `proxy` option would believe the
 * header from anyone who can reach the port.
 */
export function clientAddress(trustedProxies: readonly string[]): Middleware<AuthState> {
  const resolve = clientAddressResolver(trustedProxies);
  return async (ctx, next) => {
    // Undefined once the client has gone; Koa then falls back to its own (empty) answer.
    ctx.request.ip = resolve(ctx.req) ?? '';
    return next();
  };
}
