import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the DynamoDB Local this test run shares (in memory; tables are per file). */
    dynamodbUrl: string;
  }
}

/** The test run's DynamoDB Local and a name prefix no other test file uses. */
export interface SharedDynamoDb {
  dynamodbUrl: string;
  /** Lowercase letters, digits and `-`: valid in table and bucket names. */
  namePrefix: string;
}

/**
 * The DynamoDB Local started once for this `vitest run` (test/support/dynamodb-global-setup.ts),
 * with a fresh prefix for the caller's tables (and bucket): files run at the same time and a
 * watch run reuses the emulator, so fixed names would collide.
 */
export function sharedDynamoDb(label: string): SharedDynamoDb {
  const dynamodbUrl = inject('dynamodbUrl');
  if (!dynamodbUrl)
    throw new Error(
      "No shared DynamoDB Local: add test/support/dynamodb-global-setup.ts to this project's globalSetup in vitest.config.ts",
    );
  return { dynamodbUrl, namePrefix: `${label}-${randomBytes(4).toString('hex')}` };
}

/**
 * Where a helper used by both tests and benches gets its DynamoDB: under Vitest the run's shared
 * DynamoDB Local (as `sharedDynamoDb`); outside it (a bench started with `tsx`) nothing, so the
 * local stack starts a DynamoDB Local of its own and stops it with the stack.
 */
export function sharedDynamoDbUnderVitest(label: string): Partial<SharedDynamoDb> {
  return process.env.VITEST ? sharedDynamoDb(label) : {};
}
