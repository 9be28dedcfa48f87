import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { AuthState } from '../deps';
import { bodyTooLarge, compressedBody, malformedJson, notJson, notJsonObject } from '../errors';

/** Auth requests are a few hundred bytes; 16 KiB leaves room and caps what a client can make us parse. */
export const JSON_BODY_LIMIT = 16 * 1024;

/** The methods whose body is parsed; a DELETE may carry one (the password confirming an account deletion). */
const PARSED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The parser's own UTF-8 decoding turns invalid bytes into U+FFFD, so two different byte
 * strings could arrive as the same password. It reads the body as latin1 instead (one character
 * per byte, nothing lost) and the bytes are decoded here, refusing anything but well-formed UTF-8.
 */
const BYTES_AS_TEXT = 'latin1';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses JSON request bodies into `ctx.state.body` with `@koa/bodyparser`. POST/PUT/PATCH must
 * be uncompressed UTF-8 JSON (415 otherwise: the parser itself would leave other types unread, and
 * inflate compressed ones); a DELETE may carry a JSON body. Over the limit → 413; bad JSON, bytes
 * that are not UTF-8, a `__proto__` key or a body that is not an object or array → 400.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): Middleware<AuthState> {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    encoding: BYTES_AS_TEXT,
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
    const contentEncoding = ctx.get('Content-Encoding').trim().toLowerCase();
    if (contentEncoding !== '' && contentEncoding !== 'identity') {
      ctx.set('Accept-Encoding', 'identity');
      throw compressedBody();
    }
    return parse(ctx, () => {
      ctx.state.body = utf8Body(ctx.request.body, ctx.request.rawBody);
      return next();
    });
  };
}

/**
 * The parsed body with its strings read as UTF-8. The parser has already checked the syntax
 * and `__proto__` keys on the latin1 text, whose structure is the same: every byte of a
 * multi-byte UTF-8 character is above ASCII, so none reads as JSON punctuation.
 */
function utf8Body(parsed: unknown, raw: string | undefined): unknown {
  if (raw === undefined || parsed === undefined) return {};
  // Bytes below 0x80 (ASCII) read the same either way.
  if (!/[\u0080-\u00ff]/.test(raw)) return parsed;
  try {
    return JSON.parse(utf8.decode(Buffer.from(raw, BYTES_AS_TEXT)));
  } catch {
    throw malformedJson();
  }
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
  if (status === 400) return isJsonScalar((error as { body?: unknown }).body) ? notJsonObject() : malformedJson();
  return error;
}

/** True for JSON text holding a string, number, boolean or null, which the parser refuses as a body. */
function isJsonScalar(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}
