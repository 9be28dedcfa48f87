import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setprivStandIn } from '../../../test/support/setpriv-stand-in';
import { startSsmStub, type SsmStub, type StubOutcome } from '../../../test/support/ssm-stub';
import { adminScript, InstanceCommandError, runOnInstance } from './on-instance';

const run = promisify(execFile);
const INSTANCE = 'i-0123456789abcdef0';

describe('the admin script', () => {
  let dir: string;
  let layout: { appDir: string; envFile: string; node: string; user: string };
  let bin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-admin-script-'));
    layout = { appDir: join(dir, 'app'), envFile: join(dir, 'auth.env'), node: process.execPath, user: 'alktunes' };
    await mkdir(layout.appDir);
    // Stands in for the server bundle: reports what it was started with.
    await writeFile(
      join(layout.appDir, 'main.mjs'),
      'console.log(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), db: process.env.DATABASE_URL, origins: process.env.CORS_ORIGINS }))\n',
    );
    // The env file as the boot script writes it: single-quoted values.
    await writeFile(
      layout.envFile,
      "DATABASE_URL='mysql://auth:p%40ss@db.internal:3306/alktunes?tls=amazon-rds'\nCORS_ORIGINS='https://a.example, https://b.example'\n",
    );
    bin = await setprivStandIn(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs the bundle admin command with the env file, in the app directory, as the service user, every argument intact', async () => {
    const argv = ['create-user', '--email', "o'brien@example.com", '--name', 'Zoë "Z" $(touch pwned) `id` ; exit 7 \n next line'];
    // SSM's AWS-RunShellScript writes the commands to a file and runs it with sh.
    const { stdout } = await run('sh', ['-c', adminScript(argv, layout)], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(JSON.parse(stdout)).toEqual({
      argv: ['admin', ...argv],
      cwd: layout.appDir,
      db: 'mysql://auth:p%40ss@db.internal:3306/alktunes?tls=amazon-rds',
      origins: 'https://a.example, https://b.example',
    });
    expect((await readFile(join(dir, 'setpriv-args'), 'utf8')).split('\n').slice(0, 3)).toEqual([
      '--reuid=alktunes',
      '--regid=alktunes',
      '--init-groups',
    ]);
  });
});

describe('running a command on the instance through SSM', () => {
  let stub: SsmStub;
  let client: SSMClient;
  let outcome: StubOutcome;

  beforeAll(async () => {
    stub = await startSsmStub(INSTANCE, () => outcome);
    client = new SSMClient({
      region: 'eu-west-1',
      endpoint: stub.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    await stub?.close();
  });

  it('sends the script as AWS-RunShellScript, waits through the first polls and returns the output', async () => {
    outcome = { exitCode: 0, stdout: 'enabled a@b.co (usr_1)\n' };
    const result = await runOnInstance(client, INSTANCE, 'echo hi', { comment: 'alktunes admin enable', pollSeconds: 0.05 });
    expect(result).toEqual({ exitCode: 0, stdout: 'enabled a@b.co (usr_1)\n', stderr: '' });
    expect(stub.sent.at(-1)).toMatchObject({
      documentName: 'AWS-RunShellScript',
      commands: ['echo hi'],
      comment: 'alktunes admin enable',
      executionTimeout: ['120'],
    });
    expect(stub.sent.at(-1)!.polls).toBe(3);
  });

  it('returns a failed command as its exit code and streams', async () => {
    outcome = { exitCode: 1, stdout: '', stderr: 'admin: no user has the email a@b.co\n' };
    expect(await runOnInstance(client, INSTANCE, 'false', { comment: 'x', pollSeconds: 0.05 })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'admin: no user has the email a@b.co\n',
    });
  });

  it('says so when the instance cannot take commands or the command does not finish', async () => {
    await expect(runOnInstance(client, 'i-0fffffffffffffff0', 'true', { comment: 'x' })).rejects.toThrow(
      /the auth instance i-0fffffffffffffff0 cannot take commands: it is not running, or its SSM agent is not connected/,
    );
    outcome = { exitCode: -1, stdout: '', status: 'TimedOut' };
    const timedOut = runOnInstance(client, INSTANCE, 'sleep 999', { comment: 'x', pollSeconds: 0.05 });
    await expect(timedOut).rejects.toThrow(InstanceCommandError);
    await expect(timedOut).rejects.toThrow(/did not finish \(TimedOut/);
  });
});
