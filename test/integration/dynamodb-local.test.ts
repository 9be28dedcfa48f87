/*
 * The launcher of `npm start`'s DynamoDB Local (backend/local/dynamodb-local.ts) with real Java
 * processes: data kept across a restart, stops that had to kill, a start that was killed and left
 * its Java process behind. Each test starts DynamoDB Locals of its own, not the run's shared one.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../backend/adapters/dynamodb/low-level-client';
import { DynamoDbLocalStopError, startDynamoDbLocal } from '../../backend/local/dynamodb-local';
import { commandLineOf } from '../../backend/local/dynamodb-local-orphan';
import { PortInUseError } from '../../backend/local/net';

const run = promisify(execFile);

/**
 * Whether a process with this id is still there (signal 0 only checks). One that has ended but
 * that its parent has not reaped yet (an orphan's new parent may never do so) counts as gone.
 */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return commandLineOf(pid) !== undefined;
};

const untilGone = async (pid: number) => {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
};

const createTable = async (url: string, name: string) => {
  const client = createDynamoClient({ region: 'us-east-1', endpoint: url });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  } finally {
    client.destroy();
  }
};

const tableNames = async (url: string) => {
  const client = createDynamoClient({ region: 'us-east-1', endpoint: url });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames;
  } finally {
    client.destroy();
  }
};

describe('DynamoDB Local', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-ddb-local-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its tables in the folder across a stop and a start, and its process ends with stop()', async () => {
    const first = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: join(dir, 'db') });
    await createTable(first.url, 'kept');
    await expect(first.stop(), 'a normal stop').resolves.toBeUndefined();
    expect(alive(first.pid)).toBe(false);
    await first.stop(); // a second stop is harmless
    expect(existsSync(join(dir, 'db', 'dynamodb-local.pid')), 'no record of a process left after a normal stop').toBe(false);

    const second = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: join(dir, 'db') });
    try {
      expect(await tableNames(second.url)).toEqual(['kept']);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('says so when a stop had to kill it, as its last writes may be lost', async () => {
    const db = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, stopTimeoutMs: 500 });
    // Stopped processes do not act on SIGTERM: it can only be killed.
    process.kill(db.pid, 'SIGSTOP');
    await expect(db.stop()).rejects.toEqual(
      new DynamoDbLocalStopError('DynamoDB Local did not stop within 500 ms of SIGTERM and was killed; its last writes may be lost'),
    );
    expect(alive(db.pid)).toBe(false);
  }, 90_000);

  it('says so when it had ended before the stop', async () => {
    const db = await startDynamoDbLocal({ host: '127.0.0.1', port: 0 });
    process.kill(db.pid, 'SIGKILL');
    await untilGone(db.pid);
    await expect(db.stop()).rejects.toThrow('DynamoDB Local had ended (signal SIGKILL) before it was stopped');
  }, 90_000);

  it('stops the DynamoDB Local that a killed start left running on the folder, saying so, and starts on the same data', async () => {
    const folder = join(dir, 'orphaned');
    const module = fileURLToPath(new URL('../../backend/local/dynamodb-local.ts', import.meta.url));
    const script = join(dir, 'killed.mts');
    // Runs until killed; SIGKILL runs none of its code, so its Java process is left behind.
    await writeFile(
      script,
      `import { startDynamoDbLocal } from ${JSON.stringify(module)};\n` +
        `const db = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: ${JSON.stringify(folder)} });\n` +
        `console.log(JSON.stringify({ pid: db.pid, url: db.url }));\n` +
        `setInterval(() => {}, 60_000);\n`,
    );
    const starter = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(starter.stdout, 'data')) as [Buffer];
    const orphan = JSON.parse(line.toString()) as { pid: number; url: string };
    await createTable(orphan.url, 'kept');
    starter.kill('SIGKILL');
    await once(starter, 'exit');
    expect(alive(orphan.pid), 'the Java process outlived the killed start').toBe(true);

    const lines: string[] = [];
    const db = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: folder, log: (l) => lines.push(l) });
    try {
      expect(lines).toEqual([
        `Stopping DynamoDB Local (process ${orphan.pid}) left running on ${folder} by an earlier start that was killed`,
      ]);
      expect(alive(orphan.pid)).toBe(false);
      expect(await tableNames(db.url)).toEqual(['kept']);
    } finally {
      await db.stop();
    }
  }, 90_000);

  it('leaves alone a DynamoDB Local on the folder whose starter still runs', async () => {
    const folder = join(dir, 'in-use');
    const first = await startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: folder });
    try {
      await expect(startDynamoDbLocal({ host: '127.0.0.1', port: 0, dir: folder })).rejects.toThrow(
        `DynamoDB Local (process ${first.pid}, started by process ${process.pid}) is already running on ${folder}`,
      );
      expect(alive(first.pid)).toBe(true);
    } finally {
      await first.stop();
    }
  }, 90_000);

  it('refuses a port that is taken, naming it', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startDynamoDbLocal({ host: '127.0.0.1', port })).rejects.toEqual(new PortInUseError('dynamodb', port));
    } finally {
      blocker.close();
    }
  });

  it('does not outlive the process that started it, even one that ends in an error', async () => {
    const module = fileURLToPath(new URL('../../backend/local/dynamodb-local.ts', import.meta.url));
    const script = join(dir, 'crash.mts');
    await writeFile(
      script,
      `import { startDynamoDbLocal } from ${JSON.stringify(module)};\n` +
        `const db = await startDynamoDbLocal({ host: '127.0.0.1', port: 0 });\n` +
        `console.log(db.pid);\n` +
        `throw new Error('the run crashed');\n`,
    );
    const outcome = await run(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd() }).then(
      () => ({ stdout: '', stderr: '', crashed: false }),
      (error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, crashed: true }),
    );
    expect(outcome, 'the script crashed as planned').toMatchObject({ crashed: true, stderr: expect.stringContaining('the run crashed') });
    const pid = Number(outcome.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // SIGKILL is sent on exit; give the kernel a moment to reap it.
    await untilGone(pid);
    expect(alive(pid)).toBe(false);
  }, 90_000);
});
