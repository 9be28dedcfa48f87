import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** A local stand-in such as DynamoDB Local; absent in the cloud. */
  endpoint?: string;
}

/**
 * Every DynamoDB call answers in milliseconds; one that has not within these is stuck (a
 * half-open connection, an endpoint that accepts and never answers), and the SDK's defaults
 * would wait for it forever. Two attempts of at most 1 s to connect and 3 s to answer stay
 * under the API functions' 10 s timeout, so they answer 503 themselves, and keep the auth
 * server's logout or password change from hanging. The largest request (a 25-item batch write
 * of the import) still takes a fraction of that.
 */
const CONNECTION_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;
const MAX_ATTEMPTS = 2;
const LOCAL_MAX_SOCKETS = 512;

/**
 * Builds the low-level client alone, once per process. Its own module, so code that needs no
 * document client (the revocation check of the search function) does not bundle
 * `@aws-sdk/lib-dynamodb`, which esbuild cannot drop unused.
 */
export function createDynamoClient({ region, endpoint }: DynamoClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      // A Lambda sends one request's calls at a time; the local gateway runs every function in one
      // process on one client, where the SDK's 50 sockets would queue a burst, and the wait for a
      // free socket counts against the connection timeout.
      ...(endpoint ? { httpAgent: { keepAlive: true, maxSockets: LOCAL_MAX_SOCKETS } } : {}),
    },
    ...(endpoint
      ? // Local emulators accept any credentials; fixed ones avoid a credential-chain lookup.
        { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
