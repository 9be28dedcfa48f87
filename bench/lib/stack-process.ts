import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePortsEnv, startCommand } from '../../test/support/start-command';

/**
 * The local stack as `npm start` runs it: its own process (so its emulators get their own
 * CPU, as S3 and DynamoDB would), data in `dataDir`, free ports, no extension build.
 * Resolves once it is up, with its address book (`stack.json`).
 */
export async function startStackProcess(dataDir: string): Promise<{ info: unknown; stop(): Promise<void> }> {
  const run = startCommand({ ...freePortsEnv, ALKTUNES_DATA_DIR: dataDir });
  try {
    await run.waitFor('Alktunes is up', 120_000);
  } catch (error) {
    await run.kill('SIGKILL');
    throw error;
  }
  return {
    info: JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')),
    stop: async () => {
      await run.kill('SIGINT');
    },
  };
}
