import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSsmStub, type SsmStub, type StubOutcome } from '../../../test/support/ssm-stub';
import { seal } from '../../auth/admin/sealed-secrets';
import { adminCli } from './main';

const INSTANCE = 'i-0123456789abcdef0';

/** The arguments the script gives the server's admin command, as the instance's shell reads them. */
function adminArgvOf(script: string): string[] {
  const words = script.split('\n').at(-1)!.split(' main.mjs admin ')[1]!;
  return execFileSync('sh', ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);
}

describe('npm run admin on a deployment', () => {
  let dir: string;
  let outputsFile: string;
  let stub: SsmStub;
  let respond: (argv: string[]) => StubOutcome;
  let out: string;
  let err: string;
  const regions: string[] = [];

  const io = {
    out: (text: string) => void (out += text),
    err: (text: string) => void (err += text),
    readStdin: async () => 'a password typed by the admin\n',
  };
  const admin = (...argv: string[]) =>
    adminCli(
      argv,
      io,
      {},
      {
        pollSeconds: 0.05,
        ssmClient: (region) => {
          regions.push(region);
          return new SSMClient({ region, endpoint: stub.url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
        },
      },
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-admin-deployment-'));
    outputsFile = join(dir, 'cdk-outputs.json');
    await writeFile(
      outputsFile,
      JSON.stringify({
        'alktunes-data': { Region: 'eu-west-1', MediaBucket: 'b' },
        'alktunes-auth': { AuthInstanceId: INSTANCE, AuthUrl: 'https://auth.example' },
      }),
    );
    stub = await startSsmStub(INSTANCE, (script) => respond(adminArgvOf(script)));
  });
  afterAll(async () => {
    await stub?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = '';
    err = '';
  });

  it('runs the command on the auth instance and opens the secret it sealed for this run alone', async () => {
    let stored = '';
    respond = (argv) => {
      const sealTo = argv[argv.indexOf('--seal-to') + 1]!;
      stored = `invite code (shown once): ${seal('7K2M-Q9XD-4HRT-B8WN-CJ3P', sealTo)}\nsingle use, for ada@example.com, until 2030-01-08T00:00:00Z\n`;
      return { exitCode: 0, stdout: stored };
    };
    expect(await admin('invite', '--email', 'Ada@Example.com', '--stack-outputs', outputsFile)).toBe(0);

    const argv = adminArgvOf(stub.sent.at(-1)!.commands[0]!);
    expect(argv.slice(0, argv.indexOf('--seal-to'))).toEqual(['invite', '--email', 'Ada@Example.com', '--days', '7']);
    expect(out).toBe('invite code (shown once): 7K2M-Q9XD-4HRT-B8WN-CJ3P\nsingle use, for ada@example.com, until 2030-01-08T00:00:00Z\n');
    // What the deployment keeps of the run holds no code.
    expect(stored).not.toContain('7K2M');
    expect(stub.sent.at(-1)!.comment).toBe('alktunes admin invite');
    expect(regions.at(-1)).toBe('eu-west-1');
  });

  it('passes on what the command printed and its exit code when it fails there', async () => {
    respond = () => ({ exitCode: 1, stdout: '', stderr: 'admin: no user has the email nobody@example.com\n' });
    expect(await admin('disable', 'nobody@example.com', '--stack-outputs', outputsFile)).toBe(1);
    expect(err).toContain('admin: no user has the email nobody@example.com\n');
  });

  it('refuses before sending anything what it cannot do safely or at all', async () => {
    const sentBefore = stub.sent.length;
    expect(await admin('create-user', '--email', 'a@b.co', '--name', 'A', '--password-stdin', '--stack-outputs', outputsFile)).toBe(2);
    expect(err).toMatch(/prints a generated password instead of taking one/);

    await writeFile(join(dir, 'no-auth.json'), JSON.stringify({ 'alktunes-data': { Region: 'eu-west-1' } }));
    expect(await admin('list-users', '--stack-outputs', join(dir, 'no-auth.json'))).toBe(2);
    expect(err).toMatch(/names no AuthInstanceId/);

    expect(await admin('list-users', '--stack-outputs', join(dir, 'missing.json'))).toBe(2);
    expect(err).toMatch(/missing\.json does not exist: deploy with `npm run deploy`/);

    await writeFile(join(dir, 'no-region.json'), JSON.stringify({ 'alktunes-auth': { AuthInstanceId: INSTANCE } }));
    expect(await admin('list-users', '--stack-outputs', join(dir, 'no-region.json'))).toBe(2);
    expect(err).toMatch(/no AWS region: pass --region or set AWS_REGION/);
    expect(stub.sent.length).toBe(sentBefore);

    respond = () => ({ exitCode: 0, stdout: 'no users\n' });
    expect(await admin('list-users', '--stack-outputs', join(dir, 'no-region.json'), '--region', 'ap-south-1')).toBe(0);
    expect(regions.at(-1)).toBe('ap-south-1');
  });
});
