import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** A local stand-in such as dynalite; absent in the cloud. */
  endpoint?: string;
}

/**
 * Builds the low-level client alone, once per process. Its own module, so code that needs no
 * document client (the revocation check of the search function) does not bundle
 * `@aws-sdk/lib-dynamodb`, which esbuild cannot drop unused.
 */
export function createDynamoClient({ region, endpoint }: DynamoClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region,
    ...(endpoint
      ? // Local emulators accept any credentials; fixed ones avoid a credential-chain lookup.
        { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

