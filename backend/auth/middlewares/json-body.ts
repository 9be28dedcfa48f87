import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { AuthState } from '../deps';
import { bodyTooLarge, malformedJson, notJson } from '../errors';

/** Auth requests are a few hundred bytes; 16 KiB leaves room and caps what a client can make us parse. */
export const JSON_BODY_LIMIT = 16 * 1024;

/** The methods whose body is parsed; a DELETE may carry one (the password confirming an account deletion). */
const PARSED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Parses JSON request bodies into `ctx.state.body` with `@koa/bodyparser`. POST/PUT/PATCH must
 * be UTF-8 JSON (415 otherwise: the parser itself would leave other types unread); a DELETE may
 * carry a JSON body. Over the limit → 413, bad JSON or a `__proto__` key → 400.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): Middleware<AuthState> {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    encoding: 'utf-8',
    parsedMethods: PARSED_METHODS,
    onError: (error, ctx) => {
      throw parseError(error, ctx, limit);
    },
  });
  return async (ctx, next) => {
    const mustHaveBody = ['POST', 'PUT', 'PATCH'].includes(ctx.method);
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (!mustHaveBody && !hasBody) {
      ctx.state.body = {};
      return next();
    }
    if (!ctx.is('application/json')) throw notJson();
    const charset = ctx.request.charset;
    if (charset && charset.toLowerCase() !== 'utf-8') throw notJson();
    return parse(ctx, () => {
      ctx.state.body = ctx.request.body ?? {};
      return next();
    });
  };
}

/** The parser's error (an `http-errors` one with a status) as this API's error body. */
function parseError(error: Error, ctx: Context, limit: number): Error {
  const status = (error as { status?: number }).status;
  if (status === 413) {
    // The parser stops reading at the limit: drain the rest (cutting the socket could lose the 413) and
    // close the connection, so the unread body is not parsed as the next request.
    ctx.set('Connection', 'close');
    ctx.req.resume();
    return bodyTooLarge(limit);
  }
  if (status === 415) return notJson();
  if (status === 400) return malformedJson();
  return error;
}
