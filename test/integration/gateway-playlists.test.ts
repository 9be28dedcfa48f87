/*
 * The playlists API over real HTTP: auth server → local gateway (JWT authorizer) → handlers →
 * DynamoDB Local, the way the extension reaches it.
 */
import { afterAll, beforeAll } from 'vitest';
import { startFreshStack, type FreshStack } from '../../bench/lib/local-stack';
import { describePlaylistsContract } from '../support/gateway-playlists-contract';

let fresh: FreshStack;

beforeAll(async () => {
  fresh = await startFreshStack('gateway-playlists');
});
afterAll(() => fresh?.stop());

describePlaylistsContract(() => fresh.stack);
