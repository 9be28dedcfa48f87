import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../adapters/dynamodb/low-level-client';
import { DynamoRevocationLookup } from '../adapters/dynamodb/revocations.dynamodb';
import { createAccessCheck, type AccessCheck } from './access-check';
import type { ApiConfig } from './config';

/**
 * The revocation check every API function runs before its handlers, as they all build it: on
 * the function's own DynamoDB client when it has one, else on a client of its own.
 */
export function accessCheckFor(config: ApiConfig, client?: DynamoDBClient): AccessCheck {
  const dynamodb = client ?? createDynamoClient({ region: config.region, endpoint: config.endpoints.dynamodb });
  return createAccessCheck(new DynamoRevocationLookup(dynamodb, config.tables.revocations), { cacheSeconds: config.revocationCacheSeconds });
}
