import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authClient, newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { adminCli } from '../../backend/cli/admin/main';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const run = promisify(execFile);

/*
 * `npm run admin` on the local stack: the command reads the stack's data folder (its address
 * book and SQLite user database), and what it does shows in the running auth server and API.
 */
describe('npm run admin on the local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  let auth: ReturnType<typeof authClient>;
  let out: string;
  let err: string;

  const io = { out: (text: string) => void (out += text), err: (text: string) => void (err += text), readStdin: async () => '' };
  const admin = (...argv: string[]) => adminCli([...argv, '--data-dir', dataDir], io, {});
  const api = (token: string) =>
    fetch(`${stack.api}/playlists`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alktunes-admin-stack-'));
    stack = await startLocalStack({
      dataDir,
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      ...sharedDynamoDb('admin'),
      // The deployed default, so the invite is what lets the listener in.
      authServer: { registration: 'invite' },
      revocationCacheSeconds: 0,
    });
    auth = authClient(stack.auth);
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = '';
    err = '';
  });

  it('invites a listener, lists, disables, enables and deletes them, and the stack follows', async () => {
    const listener = newAccount();
    expect(await admin('invite', '--email', listener.email)).toBe(0);
    const inviteCode = /invite code \(shown once\): (\S+)/.exec(out)![1]!;
    expect((await auth.post('/auth/register', { ...newAccount(), inviteCode })).status).toBe(403);
    const session = await registerAndSignIn(auth, { ...listener, inviteCode });
    expect(await api(session.accessToken)).toBe(200);

    out = '';
    expect(await admin('list-users')).toBe(0);
    expect(out).toMatch(
      new RegExp(`${session.user.id}\\s+${listener.email.replace(/[.+]/g, '\\$&')}\\s+${listener.name}\\s+\\S+Z\\s+-\\n`),
    );
    expect(out).toContain(stack.demo.email);

    expect(await admin('disable', listener.email)).toBe(0);
    expect((await auth.post('/auth/login', listener)).status).toBe(401);
    expect((await auth.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect(await api(session.accessToken)).toBe(401);

    expect(await admin('enable', listener.email)).toBe(0);
    // Tokens carry their issue time in whole seconds, and the revocation refuses those up to its own second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = (await auth.post('/auth/login', listener)).body;
    expect(await api(again.accessToken)).toBe(200);

    expect(await admin('delete', listener.email, '--yes')).toBe(0);
    expect((await auth.post('/auth/login', listener)).status).toBe(401);
    expect(await api(again.accessToken)).toBe(401);
    expect(err).toBe('');
  });

  it('creates an account whatever the registration policy, and says what is wrong in one line', async () => {
    expect(await admin('create-user', '--email', 'Made.By@Admin.test', '--name', 'Made by admin')).toBe(0);
    const password = /password \(shown once; change it after signing in\): (\S+)/.exec(out)![1]!;
    expect((await auth.post('/auth/login', { email: 'made.by@admin.test', password })).status).toBe(200);

    expect(await admin('disable', 'nobody@admin.test')).toBe(1);
    expect(err).toBe('admin: no user has the email nobody@admin.test\n');
  });

  it('runs as npm run admin, and refuses a folder where no stack has run', async () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const listed = await run(tsx, ['backend/cli/admin.ts', 'list-users', '--data-dir', dataDir], { timeout: 30_000 });
    expect(listed.stdout).toContain(stack.demo.email);

    const empty = await mkdtemp(join(tmpdir(), 'alktunes-admin-empty-'));
    try {
      const refused = await run(tsx, ['backend/cli/admin.ts', 'invite', '--data-dir', empty], { timeout: 30_000 }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused).toMatchObject({
        code: 1,
        stderr: `admin: no local stack has started in ${empty} (no stack.json): start it with npm start, or pass --stack-outputs for a deployment\n`,
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
