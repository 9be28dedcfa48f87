import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local stack as `npm start` runs it: its own process (so its emulators get their own
 * CPU, as S3 and DynamoDB would), data in `dataDir`, free ports, no extension build.
 * Resolves once it is up, with its address book (`stack.json`).
 */
export async function startStackProcess(dataDir: string): Promise<{ info: unknown; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/local/start.ts'], {
    env: {
      ...process.env,
      ALKTUNES_DATA_DIR: dataDir,
      AUTH_PORT: '0',
      API_PORT: '0',
      S3_PORT: '0',
      DYNAMODB_PORT: '0',
      ALKTUNES_BUILD_EXTENSION: '0',
      ALKTUNES_OPEN_BROWSER: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Alktunes is up')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the local stack did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    info: JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')),
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}
