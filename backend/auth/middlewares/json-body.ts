import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { AuthState } from '../deps';
import { bodyTooLarge, malformedJson, notJson } from '../errors';

/** Auth requests are a few hundred bytes; 16 KiB leaves room and caps what a client can make us parse. */
export const JSON_BODY_LIMIT = 16 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the body up to `limit` bytes. Past the limit it stops keeping data but lets the rest
 * drain (destroying the stream would cut the socket before the 413 is sent).
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (error) {
        req.resume();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(bodyTooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Parses JSON request bodies into `ctx.state.body`. POST/PUT/PATCH must be JSON (415
 * otherwise); a DELETE may carry a JSON body. Over the limit → 413, bad JSON → 400.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): Middleware<AuthState> {
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
    if (ctx.request.length > limit) {
      // The unread body would otherwise be parsed as the next request on this connection.
      ctx.set('Connection', 'close');
      throw bodyTooLarge(limit);
    }

    const raw = await readLimited(ctx.req, limit).catch((error: unknown) => {
      ctx.set('Connection', 'close');
      throw error;
    });
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      throw malformedJson();
    }
    try {
      ctx.state.body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw malformedJson();
    }
    return next();
  };
}
