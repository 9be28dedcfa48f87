import { describe, expect, it } from 'vitest';
import { toApiEvent } from './api-event';

describe('toApiEvent', () => {
  const claims = { sub: 'usr_1', aud: 'alktunes-api', exp: 1900000000, roles: ['a', 'b'] };

  it('builds a payload 2.0 event with string claims, joined headers and query values', () => {
    const event = toApiEvent(
      {
        method: 'POST',
        url: '/playlists/p1/entries?x=1&x=2&y=%C3%A9',
        headers: { 'Content-Type': 'application/json', accept: ['a', 'b'], cookie: 'c1=1; c2=2' },
        body: Buffer.from('{"trackIds":["t"]}'),
        sourceIp: '127.0.0.1',
      },
      { routeKey: 'POST /playlists/{id}/entries', pathParameters: { id: 'p1' } },
      claims,
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /playlists/{id}/entries',
      rawPath: '/playlists/p1/entries',
      rawQueryString: 'x=1&x=2&y=%C3%A9',
      queryStringParameters: { x: '1,2', y: 'é' },
      pathParameters: { id: 'p1' },
      headers: { 'content-type': 'application/json', accept: 'a,b' },
      cookies: ['c1=1', 'c2=2'],
      body: '{"trackIds":["t"]}',
      isBase64Encoded: false,
    });
    expect(event.requestContext.authorizer.jwt.claims).toEqual({
      sub: 'usr_1',
      aud: 'alktunes-api',
      exp: '1900000000',
      roles: '[a b]',
    });
    expect(event.requestContext.http).toMatchObject({ method: 'POST', path: '/playlists/p1/entries', sourceIp: '127.0.0.1' });
  });

  it('base64-encodes binary bodies and omits empty parts', () => {
    const binary = toApiEvent(
      { method: 'PUT', url: '/x', headers: { 'content-type': 'audio/mpeg' }, body: Buffer.from([0, 255]), sourceIp: '' },
      { routeKey: 'PUT /x', pathParameters: {} },
      claims,
    );
    expect(binary).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
    expect(binary.pathParameters).toBeUndefined();
    expect(binary.queryStringParameters).toBeUndefined();
  });
});
