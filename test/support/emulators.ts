import { join } from 'node:path';
import { startS3 } from '../../backend/local/emulators';
import { sharedDynamoDb } from './shared-dynamodb';

export interface Emulators {
  dynamodbEndpoint: string;
  /** Prefix for this caller's table and bucket names (the DynamoDB is shared by the test run). */
  namePrefix: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

/**
 * The test run's shared DynamoDB Local, with a name prefix of its own, and an s3rver on an
 * ephemeral port with its data under `dir`. Call `stop()` in `afterAll`: it stops the s3rver only.
 */
export async function startEmulators(dir: string, label = 'test'): Promise<Emulators> {
  const { dynamodbUrl, namePrefix } = sharedDynamoDb(label);
  const s3 = await startS3('127.0.0.1', 0, join(dir, 's3'));
  return {
    dynamodbEndpoint: dynamodbUrl,
    namePrefix,
    s3Endpoint: s3.url,
    stop: () => s3.stop(),
  };
}
