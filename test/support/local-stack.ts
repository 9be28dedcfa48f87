import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../backend/local/stack';

/** Every service on a port the OS picks, so runs never collide with `npm start` or each other. */
export const freePorts = { auth: 0, api: 0, s3: 0, dynamodb: 0 } as const;

export interface FreshStack {
  stack: LocalStack;
  /** Stops every service and deletes the stack's data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack (DynamoDB Local, s3rver, auth server, gateway, demo catalog), all
 * but DynamoDB Local in this process, with its data in a new temporary directory and `options`
 * changed from the defaults. With `options.dynamodbUrl` (a test run's shared DynamoDB Local) it
 * starts no DynamoDB and `stop()` leaves that one running.
 */
export async function startFreshStack(label = 'bench', options: Omit<LocalStackOptions, 'dataDir' | 'ports'> = {}): Promise<FreshStack> {
  const dataDir = await mkdtemp(join(tmpdir(), `alktunes-${label}-`));
  try {
    const stack = await startLocalStack({ ...options, dataDir, ports: freePorts });
    return {
      stack,
      stop: async () => {
        await stack.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
