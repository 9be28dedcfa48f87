import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { conflict, notFound, unauthorized } from '../domain/errors';
import { apiEvent } from '../../test/support/api-events';
import { dispatch, errorResult, jsonBody, ok, parse, userIdOf } from './http';

afterEach(() => vi.restoreAllMocks());
const bodyOf = (r: { body?: string }) => JSON.parse(r.body ?? 'null');

describe('errorResult', () => {
  it('maps domain errors to their status and stable body', () => {
    const res = errorResult(conflict('stale', { currentVersion: 3 }));
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res)).toEqual({ error: { code: 'conflict', message: 'stale', currentVersion: 3 } });
    expect(errorResult(notFound('Playlist')).statusCode).toBe(404);
  });

  it('turns zod errors into 400 with the field', () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    const res = errorResult(result.error);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).error).toMatchObject({ code: 'invalid_input', field: 'a.b' });
  });

  it('answers 503 when a backing service cannot be reached', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(errorResult(refused).statusCode).toBe(503);
    expect(errorResult(Object.assign(new Error('x'), { name: 'ThrottlingException' })).statusCode).toBe(503);
  });

  it('hides unexpected errors behind a 500 and logs them once', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = errorResult(new TypeError('secret internals'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(bodyOf(res)).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(log.mock.calls[0]![0] as string)).toMatchObject({ level: 'error', code: 'internal' });
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
    expect(() => jsonBody(apiEvent('POST /x', { body: '{', headers: {} }))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => jsonBody(apiEvent('POST /x', { body: 'a', headers: { 'content-type': 'text/plain' } }))).toThrow(
      expect.objectContaining({ code: 'unsupported_media_type' }),
    );
  });

  it('names the first invalid field', () => {
    expect(() => parse(z.object({ limit: z.number().max(5) }), { limit: 9 })).toThrow(
      expect.objectContaining({ field: 'limit', status: 400 }),
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
