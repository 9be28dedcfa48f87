import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortsEnv, startCommand } from '../support/start-command';

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
    const run = startCommand({ ...freePortsEnv, ALKTUNES_DATA_DIR: dataDir });
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
      const run = startCommand({ ...freePortsEnv, DYNAMODB_PORT: String(port), ALKTUNES_DATA_DIR: dataDir });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${port} (dynamodb) is already in use`);
      expect(run.output()).toContain('DYNAMODB_PORT');
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
