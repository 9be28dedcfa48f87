import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { AuthState, LogFn } from '../deps';

const SAFE_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * Gives each request an id (a sane incoming `X-Request-Id` from nginx, else a new one) and
 * logs one line when it ends. Only method, path (never the query) and outcome are logged:
 * bodies and headers, which carry passwords and tokens, never are.
 */
export function requestLogger(log: LogFn): Middleware<AuthState> {
  return async (ctx, next) => {
    const started = performance.now();
    // Read now: once a client goes away the socket, and with it the address, is gone.
    const ip = ctx.ip;
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      log({
        level: ctx.status >= 500 ? 'error' : 'info',
        msg: 'request',
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ip,
        ...(ctx.state.userId ? { userId: ctx.state.userId } : {}),
      });
    }
  };
}
