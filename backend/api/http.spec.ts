import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { conflict, notFound, PartialWrite, unauthorized } from '../domain/errors';
import { apiEvent } from '../../test/support/api-events';
import { logger } from '../lambda-runtime/logger';
import { RETRY_BUDGET_MS, retryDeadline } from '../lambda-runtime/retry-deadline';
import { created, dispatch, errorResult, idempotencyKeyOf, jsonBody, ok, parse, userIdOf } from './http';

afterEach(() => vi.restoreAllMocks());
const bodyOf = (r: { body?: string }) => JSON.parse(r.body ?? 'null');

describe('errorResult', () => {
  it('maps domain errors to their status and stable body', () => {
    const res = errorResult(conflict('stale', { currentVersion: 3 }));
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res)).toEqual({ error: { code: 'conflict', message: 'stale', currentVersion: 3 } });
    expect(errorResult(notFound('Playlist')).statusCode).toBe(404);
  });

  it("turns a stray zod error into a 400 with the field apart and zod's message as it is", () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    const res = errorResult(result.error);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).error).toEqual({ code: 'invalid_input', field: 'a.b', message: result.error!.issues[0]!.message });
  });

  it('answers 503 when a backing service cannot be reached', () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(errorResult(refused).statusCode).toBe(503);
    expect(errorResult(Object.assign(new Error('x'), { name: 'ThrottlingException' })).statusCode).toBe(503);
  });

  it('answers a write that stopped part way as what stopped it, with how far it got', () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    const busy = errorResult(new PartialWrite(conflict('busy', { retryable: true }), { added: 50, requested: 100 }));
    expect(busy.statusCode).toBe(409);
    expect(bodyOf(busy)).toEqual({ error: { code: 'conflict', message: 'busy', retryable: true, added: 50, requested: 100 } });
    const down = errorResult(new PartialWrite(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), { added: 1, requested: 2 }));
    expect(down.statusCode).toBe(503);
    expect(down.headers?.['retry-after']).toBe('1');
    expect(bodyOf(down).error).toMatchObject({ code: 'unavailable', added: 1, requested: 2 });
  });

  it('hides unexpected errors behind a 500 and logs them once', () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const thrown = new TypeError('secret internals');
    const res = errorResult(thrown, apiEvent('GET /home'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(bodyOf(res)).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    expect(log).toHaveBeenCalledExactlyOnceWith('request failed', { code: 'internal', routeKey: 'GET /home', error: thrown });
  });
});

describe('request parsing', () => {
  it('takes the user only from verified claims', () => {
    expect(userIdOf(apiEvent('GET /home', { sub: 'u1' }))).toBe('u1');
    const forged = apiEvent('GET /home', { headers: { 'x-user-id': 'u1' }, body: { sub: 'u1' } });
    expect(() => userIdOf(forged)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('reads JSON bodies, rejecting other media types and malformed JSON', () => {
    expect(jsonBody(apiEvent('POST /x', { body: { a: 1 } }))).toEqual({ a: 1 });
    expect(jsonBody(apiEvent('POST /x'))).toEqual({});
    expect(() => jsonBody(apiEvent('POST /x', { body: '{', headers: {} }))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => jsonBody(apiEvent('POST /x', { body: 'a', headers: { 'content-type': 'text/plain' } }))).toThrow(
      expect.objectContaining({ code: 'unsupported_media_type' }),
    );
  });

  it('reads an Idempotency-Key, refusing a malformed one by the header’s name', () => {
    expect(idempotencyKeyOf(apiEvent('POST /playlists'))).toBeUndefined();
    expect(idempotencyKeyOf(apiEvent('POST /playlists', { headers: { 'idempotency-key': 'k-1' } }))).toBe('k-1');
    expect(() => idempotencyKeyOf(apiEvent('POST /playlists', { headers: { 'idempotency-key': 'a b' } }))).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'Idempotency-Key' }),
    );
    expect(created({}, true).headers?.['idempotent-replayed']).toBe('true');
    expect(created({}).headers?.['idempotent-replayed']).toBeUndefined();
  });

  it('names the first invalid field', () => {
    expect(() => parse(z.object({ limit: z.number().max(5) }), { limit: 9 })).toThrow(
      expect.objectContaining({ field: 'limit', code: 'invalid_input' }),
    );
  });

  it('dispatches on the route key and maps thrown errors', async () => {
    const handler = dispatch(
      {
        'GET /a': async () => ok({ a: true }),
        'GET /b': async () => {
          throw notFound('Thing');
        },
      },
      async () => {},
    );
    expect((await handler(apiEvent('GET /a'))).statusCode).toBe(200);
    expect((await handler(apiEvent('GET /b'))).statusCode).toBe(404);
    expect((await handler(apiEvent('GET /nope'))).statusCode).toBe(404);
  });

  it('gives each request one retry budget, shared by everything it does', async () => {
    const seen: number[] = [];
    const handler = dispatch(
      {
        'GET /a': async () => {
          seen.push(retryDeadline());
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(retryDeadline());
          return ok({});
        },
      },
      async () => {},
    );
    const start = Date.now();
    await handler(apiEvent('GET /a'));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toBeGreaterThanOrEqual(start + RETRY_BUDGET_MS);
    expect(seen[0]).toBeLessThanOrEqual(Date.now() + RETRY_BUDGET_MS);
  });

  it('runs a handler only once the access check accepts the token, answering 401 with the error body otherwise', async () => {
    const handler = vi.fn(async () => ok({}));
    const refused = dispatch({ 'GET /a': handler }, async () => {
      throw unauthorized('Access token revoked; sign in again');
    });
    const result = await refused(apiEvent('GET /a', { sub: 'usr_1' }));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: 'unauthorized', message: 'Access token revoked; sign in again' } });
    expect(handler).not.toHaveBeenCalled();
  });
});
