import { join } from 'node:path';
import { startDynamoDb, startS3 } from '../../backend/local/emulators';

export interface Emulators {
  dynamodbEndpoint: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the local stack's dynalite and s3rver on ephemeral ports with their data under
 * `dir` (dynalite in memory unless `persistDynamo`). Call `stop()` in `afterAll`.
 */
export async function startEmulators(dir: string, options: { persistDynamo?: boolean } = {}): Promise<Emulators> {
  const dynamo = await startDynamoDb('127.0.0.1', 0, options.persistDynamo ? join(dir, 'dynamodb') : undefined);
  const s3 = await startS3('127.0.0.1', 0, join(dir, 's3'));
  return {
    dynamodbEndpoint: dynamo.url,
    s3Endpoint: s3.url,
    stop: async () => {
      await Promise.all([dynamo.stop(), s3.stop()]);
    },
  };
}
