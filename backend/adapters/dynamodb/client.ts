import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** A local stand-in such as dynalite; absent in the cloud. */
  endpoint?: string;
}

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Builds the low-level and document clients; call once per process (cold start). */
export function createDynamoClients({ region, endpoint }: DynamoClientOptions): DynamoClients {
  const client = new DynamoDBClient({
    region,
    ...(endpoint
      ? // Local emulators accept any credentials; fixed ones avoid a credential-chain lookup.
        { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { client, doc };
}
