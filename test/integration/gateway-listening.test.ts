/*
 * The listening API over real HTTP: auth server → local gateway (JWT authorizer) → handlers →
 * DynamoDB Local, the way the extension reaches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeListeningContract } from '../support/gateway-listening-contract';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { sharedDynamoDb } from '../support/shared-dynamodb';

let fresh: FreshStack;

beforeAll(async () => {
  fresh = await startFreshStack('gateway-listening', sharedDynamoDb('gw-listening'));
});
afterAll(() => fresh?.stop());

describeListeningContract(() => fresh.stack);

describe('CORS for the extension', () => {
  it('lets it like a track with PUT', async () => {
    const preflight = await fetch(`${fresh.stack.api}/me/likes/tr_any`, {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')?.split(',')).toContain('PUT');
  });
});
