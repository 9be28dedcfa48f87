/* The catalog API, streams, home feed and search over real HTTP, through the local gateway, on the demo catalog. */
import { afterAll, beforeAll } from 'vitest';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { describeCatalogContract } from '../support/gateway-catalog-contract';
import { sharedDynamoDb } from '../support/shared-dynamodb';

let fresh: FreshStack;

beforeAll(async () => {
  fresh = await startFreshStack('gateway-catalog', sharedDynamoDb('gw-catalog'));
});
afterAll(() => fresh?.stop());

describeCatalogContract(() => fresh.stack);
