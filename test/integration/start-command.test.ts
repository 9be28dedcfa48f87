import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs `npm start`'s entry as a tool would: no terminal, output captured, stopped by a signal. */
function startCommand(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/local/start.ts'], {
    env: { ...process.env, ALKTUNES_BUILD_EXTENSION: '0', ALKTUNES_OPEN_BROWSER: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output so far:\n${output}`);
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

const zeroPorts = { AUTH_PORT: '0', API_PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0' };

describe('npm start', () => {
  let dataDir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alktunes-start-'));
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes up without a terminal, prints the demo account, and stops cleanly on SIGINT', async () => {
    const run = startCommand({ ...zeroPorts, ALKTUNES_DATA_DIR: dataDir });
    running = run.child;
    await run.waitFor('Alktunes is up');
    const stack = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
    expect(run.output()).toContain(`Demo account: ${stack.demo.email} / ${stack.demo.password}`);
    for (const service of ['dynamodb', 's3', 'auth', 'api']) expect(run.output()).toMatch(new RegExp(`✓ ${service}\\s+http://`));
    for (const url of [stack.auth, stack.api, stack.s3, stack.dynamodb]) expect((await fetch(`${url}/health`)).status).toBe(200);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped cleanly');
  });

  it('explains a taken port instead of printing a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = startCommand({ ...zeroPorts, DYNAMODB_PORT: String(port), ALKTUNES_DATA_DIR: dataDir });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${port} (dynamodb) is already in use`);
      expect(run.output()).toContain('DYNAMODB_PORT');
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
