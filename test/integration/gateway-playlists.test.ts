/*
 * The playlists API over real HTTP: auth server → local gateway (JWT authorizer) → handlers →
 * DynamoDB Local, the way the extension reaches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/api-client';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { describePlaylistsContract } from '../support/gateway-playlists-contract';
import { sharedDynamoDb } from '../support/shared-dynamodb';

let fresh: FreshStack;

beforeAll(async () => {
  fresh = await startFreshStack('gateway-playlists', sharedDynamoDb('gw-playlists'));
});
afterAll(() => fresh?.stop());

describePlaylistsContract(() => fresh.stack);

describe('CORS for the extension', () => {
  const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

  it('lets it send an Idempotency-Key and read Idempotent-Replayed', async () => {
    const { api, auth } = fresh.stack;
    const preflight = await fetch(`${api}/playlists`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')?.split(',')).toContain('idempotency-key');

    const { accessToken } = await signUp(auth, 'cors');
    const create = () =>
      fetch(`${api}/playlists`, {
        method: 'POST',
        headers: { origin, authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'cors-1' },
        body: JSON.stringify({ name: 'Across origins' }),
      });
    expect((await create()).status).toBe(201);
    const replay = await create();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // Without this a script of another origin (the extension's) cannot read the header.
    expect(replay.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toContain('idempotent-replayed');
  });
});
