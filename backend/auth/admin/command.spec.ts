import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashInviteCode } from '../invites';
import { MemoryRevocations } from '../revocations.memory';
import { adminCommand, runAdminRequest } from './command';
import { openAdminDeps } from './deps';
import { newSealingKeys } from './sealed-secrets';

/** Revocations that run `whileWriting` inside the next write, as other requests would arrive during a slow one. */
class SlowRevocations extends MemoryRevocations {
  whileWriting?: () => Promise<void>;

  override async userRevoked(userId: string, reason: 'disabled' | 'deleted') {
    const meanwhile = this.whileWriting;
    this.whileWriting = undefined;
    await meanwhile?.();
    await super.userRevoked(userId, reason);
  }
}

describe('the admin command on a SQLite user database', () => {
  let dir: string;
  let deps: Awaited<ReturnType<typeof openAdminDeps>>;
  let revocations: SlowRevocations;
  let out: string;
  let err: string;
  let stdin: string;
  const io = {
    out: (text: string) => void (out += text),
    err: (text: string) => void (err += text),
    readStdin: async () => stdin,
  };
  /** The command line as `npm run admin` and the server run it, on this database. */
  const admin = (...argv: string[]) => adminCommand(argv, io, async ({ request, sealTo }) => runAdminRequest(request, deps, io, sealTo));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-admin-'));
    revocations = new SlowRevocations();
    deps = await openAdminDeps({ databaseUrl: `sqlite:${join(dir, 'auth.sqlite')}`, revocations });
  });
  afterAll(async () => {
    await deps?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = '';
    err = '';
    stdin = '';
  });

  it('creates a user with a generated password shown once, or with one from stdin', async () => {
    expect(await admin('create-user', '--email', 'Ada@Example.com', '--name', 'Ada')).toBe(0);
    const password = /password \(shown once; change it after signing in\): (\S+)\n/.exec(out)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    const ada = await deps.repository.findUserByEmail('ada@example.com');
    expect(out).toContain(`created Ada@Example.com (${ada!.id})`);
    expect(await deps.passwords.verify(password!, ada!.passwordHash)).toBe(true);

    out = '';
    stdin = 'a password typed by the admin\n';
    expect(await admin('create-user', '--email', 'grace@example.com', '--name', 'Grace', '--password-stdin')).toBe(0);
    expect(out).not.toContain('password');
    const grace = await deps.repository.findUserByEmail('grace@example.com');
    expect(await deps.passwords.verify('a password typed by the admin', grace!.passwordHash)).toBe(true);
  });

  it('says when the email is taken or the password from stdin is not acceptable', async () => {
    expect(await admin('create-user', '--email', 'ADA@example.com', '--name', 'Other')).toBe(1);
    expect(err).toBe('admin: a user with the email ADA@example.com exists already\n');
    stdin = 'Password123\n';
    expect(await admin('create-user', '--email', 'new@example.com', '--name', 'New', '--password-stdin')).toBe(2);
    expect(err).toContain('the password on stdin: This password is too common');
    expect(await deps.repository.findUserByEmail('new@example.com')).toBeUndefined();
  });

  it('prints an invite code once and stores only its hash, with its expiry', async () => {
    const before = Date.now();
    expect(await admin('invite', '--email', 'lin@example.com', '--days', '2')).toBe(0);
    const code = /invite code \(shown once\): ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})\n/.exec(out)?.[1];
    expect(code).toBeDefined();
    expect(out).toMatch(/single use, for lin@example.com, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const until = Date.parse(/until (\S+)\n/.exec(out)![1]!);
    expect(until).toBeGreaterThanOrEqual(before + 2 * 86_400_000 - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 2 * 86_400_000);
    // Only the hash is kept: a user made with the code proves it matches, the listing never shows it.
    const user = { id: 'usr_lin', email: 'lin@example.com', name: 'Lin', passwordHash: 'x', createdAt: 1, disabledAt: null };
    await deps.repository.createUserWithInvite(user, hashInviteCode(code!.toLowerCase()), Date.now());
    out = '';
    await admin('list-users');
    expect(out).not.toContain(code!);
  });

  it('seals secrets to the key it is given', async () => {
    const keys = newSealingKeys();
    const parsed = { command: 'invite' as const, days: 7 };
    await runAdminRequest(parsed, deps, io, keys.publicKey);
    expect(out).toMatch(/^invite code \(shown once\): sealed:[\w-]{300,}\n/);
    expect(keys.open(out)).toMatch(/^invite code \(shown once\): [0-9A-Z]{4}(-[0-9A-Z]{4}){4}\n/);
    expect(() => newSealingKeys().open(out)).toThrow();
  });

  it('lists users in email order, a page at a time, without hashes', async () => {
    expect(await admin('list-users', '--limit', '2')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+email\s+name\s+created\s+disabled$/);
    expect(lines.slice(1, 3).map((line) => line.split(/\s{2,}/)[1])).toEqual(['Ada@Example.com', 'grace@example.com']);
    expect(lines[3]).toBe('(there may be more: list-users --after grace@example.com)');
    expect(out).not.toMatch(/\$argon2|\$scrypt/);
    out = '';
    await admin('list-users', '--after', 'grace@example.com');
    expect(out).toMatch(/usr_lin\s+lin@example.com\s+Lin\s+1970-01-01T00:00:00Z\s+-\n$/);
    out = '';
    await admin('list-users', '--after', 'zed@example.com');
    expect(out).toBe('no users after zed@example.com\n');
  });

  it('disables, enables and deletes by email, telling the API', async () => {
    const ada = (await deps.repository.findUserByEmail('ada@example.com'))!;
    expect(await admin('disable', 'ada@example.com')).toBe(0);
    expect(out).toBe(`disabled Ada@Example.com (${ada.id}): sessions ended, API access revoked\n`);
    expect((await deps.repository.findUserById(ada.id))!.disabledAt).toEqual(expect.any(Number));
    await admin('list-users');
    expect(out).toMatch(new RegExp(`${ada.id}.*Z  \\d{4}-\\d\\d-\\d\\dT`));

    expect(await admin('enable', 'ada@example.com')).toBe(0);
    expect((await deps.repository.findUserById(ada.id))!.disabledAt).toBeNull();

    expect(await admin('delete', 'ada@example.com', '--yes')).toBe(0);
    expect(await deps.repository.findUserById(ada.id)).toBeUndefined();
    expect(revocations.revokedUsers).toEqual([
      { userId: ada.id, reason: 'disabled' },
      { userId: ada.id, reason: 'deleted' },
    ]);

    expect(await admin('enable', 'ada@example.com')).toBe(1);
    expect(err).toBe('admin: no user has the email ada@example.com\n');
  });

  it('disables the account before the API hears of a disable or a deletion, so no sign-in or refresh slips in between', async () => {
    stdin = 'a password typed by the admin\n';
    expect(await admin('create-user', '--email', 'mo@example.com', '--name', 'Mo', '--password-stdin')).toBe(0);
    const mo = (await deps.repository.findUserByEmail('mo@example.com'))!;
    const disabledWhileWriting = () => {
      let disabledAt: number | null | undefined;
      revocations.whileWriting = async () => {
        disabledAt = (await deps.repository.findUserById(mo.id))?.disabledAt;
      };
      return () => disabledAt;
    };

    const duringDisable = disabledWhileWriting();
    expect(await admin('disable', 'mo@example.com')).toBe(0);
    expect(duringDisable()).toEqual(expect.any(Number));

    expect(await admin('enable', 'mo@example.com')).toBe(0);
    const duringDelete = disabledWhileWriting();
    expect(await admin('delete', 'mo@example.com', '--yes')).toBe(0);
    expect(duringDelete()).toEqual(expect.any(Number));
  });
});
