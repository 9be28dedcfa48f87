import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, type DynamoClientOptions } from './low-level-client';

export type { DynamoClientOptions } from './low-level-client';

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Builds the low-level and document clients; call once per process (cold start). */
export function createDynamoClients(options: DynamoClientOptions): DynamoClients {
  const client = createDynamoClient(options);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { client, doc };
}
