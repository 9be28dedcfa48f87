import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
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
    for (const url of [stack.auth, stack.api, stack.s3]) expect((await fetch(`${url}/health`)).status).toBe(200);
    // DynamoDB Local has no health route: it is up when it lists the stack's tables.
    const { client } = createDynamoClients({ region: stack.region, endpoint: stack.dynamodb });
    const { TableNames } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(stack.tables)));

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped cleanly');
  });

  describe('without a Java that runs DynamoDB Local', () => {
    /** Runs `npm start` with only `bin` on PATH; says what it printed and whether it touched the data folder. */
    async function startWithPath(bin: string) {
      const fresh = join(dataDir, 'never-created');
      const run = startCommand({ ...freePortsEnv, ALKTUNES_DATA_DIR: fresh, PATH: bin });
      const code = await run.exited;
      return { code, lines: run.output().trim().split('\n'), touched: existsSync(fresh) };
    }
    const oneLineHint =
      /^✗ DynamoDB Local needs Java 17 or later .*apt-get install openjdk-17-jre-headless.*brew install openjdk@17.*winget install Microsoft\.OpenJDK\.17/;

    it('says in one line how to install it, before starting anything', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'alktunes-no-java-'));
      try {
        const { code, lines, touched } = await startWithPath(empty);
        expect(code).toBe(1);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(oneLineHint);
        expect(lines[0]).toContain('no `java` on PATH');
        expect(touched).toBe(false);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });

    it('says the same of a Java older than 17, naming the one it found', async () => {
      const bin = await mkdtemp(join(tmpdir(), 'alktunes-old-java-'));
      try {
        await mkdir(bin, { recursive: true });
        await writeFile(join(bin, 'java'), '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
        await chmod(join(bin, 'java'), 0o755);
        const { code, lines, touched } = await startWithPath(bin);
        expect(code).toBe(1);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(oneLineHint);
        expect(lines[0]).toContain('found Java 11');
        expect(touched).toBe(false);
      } finally {
        await rm(bin, { recursive: true, force: true });
      }
    });
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
