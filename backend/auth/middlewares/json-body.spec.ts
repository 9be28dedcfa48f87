import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../deps';
import { errorHandler } from './error-handler';
import { jsonBody } from './json-body';

const LIMIT = 64;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

describe('jsonBody', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const app = new Koa<AuthState>();
    app.silent = true;
    app.use(errorHandler(() => {}));
    app.use(jsonBody(LIMIT));
    app.use((ctx) => {
      ctx.body = { parsed: ctx.state.body ?? null };
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `body` as given (a string array goes chunked, without Content-Length). */
  function send(
    method: string,
    body?: string | Buffer | string[],
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path: '/', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject);
      if (Array.isArray(body)) for (const chunk of body) req.write(chunk);
      else if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body)).write(body);
      req.end();
    });
  }

  it('parses a JSON body into ctx.state.body, an empty one as {}', async () => {
    expect(await send('POST', '{"email":"a@b.co","n":[1,2]}')).toMatchObject({
      status: 200,
      body: { parsed: { email: 'a@b.co', n: [1, 2] } },
    });
    expect((await send('POST', '')).body).toEqual({ parsed: {} });
    expect((await send('POST', '{"é":"ü"}', { 'content-type': 'application/json; charset=UTF-8' })).body).toEqual({ parsed: { é: 'ü' } });
  });

  it('takes a JSON body on a DELETE and needs none on a GET or DELETE', async () => {
    expect((await send('DELETE', '{"password":"x"}')).body).toEqual({ parsed: { password: 'x' } });
    expect((await send('DELETE', undefined, {})).body).toEqual({ parsed: {} });
    expect((await send('GET', undefined, {})).body).toEqual({ parsed: {} });
  });

  it('refuses other media types and charsets with 415, and a POST without a body', async () => {
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/vnd.api+json',
    ]) {
      const reply = await send('POST', '{}', { 'content-type': contentType });
      expect(reply).toMatchObject({
        status: 415,
        body: { error: { code: 'unsupported_media_type', message: 'Send the request body as application/json' } },
      });
    }
    expect((await send('POST', undefined, {})).status).toBe(415);
    expect((await send('DELETE', 'a=1', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers malformed JSON, including a blank body, with 400 invalid_input', async () => {
    for (const body of ['{"email": "a@b.co",', 'not json', ' \n\t ']) {
      const reply = await send('POST', body);
      expect(reply, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_input', message: 'Request body is not valid JSON' } },
      });
    }
  });

  it('answers a JSON scalar, null included, with 400: the body must be an object', async () => {
    for (const body of ['null', '"text"', '42', 'true']) {
      const reply = await send('POST', body);
      expect(reply, body).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_input', message: 'Request body must be a JSON object' } },
      });
    }
  });

  it('refuses a body that is not valid UTF-8, so different bytes never read as the same text', async () => {
    const password = (bytes: number[]) => Buffer.concat([Buffer.from('{"password":"'), Buffer.from(bytes), Buffer.from('"}')]);
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const reply = await send('POST', password(bytes));
      expect(reply, bytes.join(' ')).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_input', message: 'Request body is not valid JSON' } },
      });
    }
    // Well-formed UTF-8 reads as sent, a literal U+FFFD too.
    expect((await send('POST', password([0xc3, 0xa9, 0xef, 0xbf, 0xbd, 0xf0, 0x9f, 0x8e, 0xb5]))).body).toEqual({
      parsed: { password: 'é\ufffd🎵' },
    });
  });

  it('refuses a compressed body with 415 before reading it; identity is plain', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP', 'identity, gzip']) {
      const reply = await send('POST', '{"a":1}', { 'content-type': 'application/json', 'content-encoding': encoding });
      expect(reply, encoding).toMatchObject({
        status: 415,
        headers: { 'accept-encoding': 'identity' },
        body: { error: { code: 'unsupported_media_type', message: 'Send the request body uncompressed' } },
      });
    }
    expect((await send('POST', '{"a":1}', { 'content-type': 'application/json', 'content-encoding': 'identity' })).body).toEqual({
      parsed: { a: 1 },
    });
  });

  it('ignores a body on a GET', async () => {
    expect((await send('GET', '{"a":1}')).body).toEqual({ parsed: {} });
  });

  it('refuses a byte order mark: JSON text is sent without one', async () => {
    expect((await send('POST', Buffer.from('\ufeff{"a":1}'))).status).toBe(400);
  });

  it('refuses a __proto__ key rather than let it reach a handler', async () => {
    for (const body of ['{"__proto__":{"polluted":true}}', '{"a":{"__proto__":{"polluted":true}}}']) {
      const reply = await send('POST', body);
      expect(reply.status, body).toBe(400);
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    }
  });

  it('refuses bodies over the limit with 413 and closes the connection, declared or chunked', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(LIMIT) });
    const declared = await send('POST', big);
    expect(declared).toMatchObject({
      status: 413,
      body: { error: { code: 'too_large', message: `Request body must be at most ${LIMIT} bytes` } },
    });
    expect(declared.headers.connection).toBe('close');

    const chunked = await send('POST', [big.slice(0, 40), big.slice(40), 'x'.repeat(10_000)]);
    expect(chunked).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    expect(chunked.headers.connection).toBe('close');
    expect((await send('POST', '{"ok":true}')).status).toBe(200);
  });
});
