import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackInfo } from '../../backend/local/stack';
import { startCommand } from './start-command';

const mainFile = fileURLToPath(new URL('./application-main.ts', import.meta.url));

/** The application processes of the local stack, running in a child process. */
export interface ApplicationProcess {
  /** The address book the stack wrote (`stack.json`). */
  info: StackInfo;
  /** Ends the process with SIGKILL, as a Lambda dies mid-request, and waits until it is gone. */
  kill(): Promise<void>;
  /** Stops it normally (SIGTERM) and waits until it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts the auth server, the gateway with the API handlers and s3rver in a child process with
 * their data in `dataDir`, against the DynamoDB at `dynamodbUrl` (which it neither starts nor
 * stops), and resolves once the stack has written its address book. The child can then be
 * killed while the emulator, like DynamoDB itself, lives on.
 */
export async function startApplicationProcess(options: {
  dataDir: string;
  dynamodbUrl: string;
  namePrefix: string;
}): Promise<ApplicationProcess> {
  const run = startCommand(
    { ALKTUNES_DATA_DIR: options.dataDir, DYNAMODB_URL: options.dynamodbUrl, NAME_PREFIX: options.namePrefix },
    [],
    mainFile,
  );
  try {
    // The first start generates the demo catalog, which takes a while on a busy 2-CPU machine.
    await run.waitFor('application is up', 180_000);
  } catch (error) {
    await run.kill('SIGKILL');
    throw error;
  }
  const info = JSON.parse(await readFile(join(options.dataDir, 'stack.json'), 'utf8')) as StackInfo;
  return {
    info,
    kill: async () => {
      await run.kill('SIGKILL');
    },
    stop: async () => {
      await run.kill('SIGTERM');
    },
  };
}
