import { text } from 'node:stream/consumers';
import {
  AdminCommandError,
  type AdminDeps,
  createInvite,
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  generatePassword,
  type ListedUser,
  listUsers,
} from '../commands/admin';
import { RegisterSchema } from '../schema';
import { ADMIN_USAGE, type AdminArgs, type AdminRequest, AdminUsageError, parseAdminArgs } from './args';
import { seal } from './sealed-secrets';

export interface AdminIo {
  /** Normal output; each call is one or more whole lines. */
  out(text: string): void;
  /** Errors and hints. */
  err(text: string): void;
  /** Everything on stdin (for --password-stdin). */
  readStdin(): Promise<string>;
}

/** The process's own streams. */
export const processIo: AdminIo = {
  out: (output) => void process.stdout.write(output),
  err: (output) => void process.stderr.write(output),
  readStdin: () => text(process.stdin),
};

/** Exit codes: 0 done, 1 could not be done (the message says why), 2 bad command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function passwordFromStdin(io: AdminIo): Promise<string> {
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  const result = RegisterSchema.shape.password.safeParse(text);
  if (!result.success) throw new AdminUsageError(`the password on stdin: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function userTable(users: ListedUser[]): string {
  const rows = [
    ['id', 'email', 'name', 'created', 'disabled'],
    ...users.map((user) => [user.id, user.email, user.name, iso(user.createdAt), user.disabledAt === null ? '-' : iso(user.disabledAt)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Runs one admin request and prints its result. Secrets (a generated password, an invite code)
 * are printed once, sealed to `sealTo` when it is given.
 */
export async function runAdminRequest(request: AdminRequest, deps: AdminDeps, io: AdminIo, sealTo?: string): Promise<void> {
  const secret = (value: string) => (sealTo ? seal(value, sealTo) : value);
  switch (request.command) {
    case 'create-user': {
      const password = request.passwordFromStdin ? await passwordFromStdin(io) : generatePassword();
      const user = await createUser(deps, { email: request.email, name: request.name, password });
      io.out(`created ${user.email} (${user.id})\n`);
      if (!request.passwordFromStdin) io.out(`password (shown once; change it after signing in): ${secret(password)}\n`);
      return;
    }
    case 'invite': {
      const invite = await createInvite(deps, { email: request.email, days: request.days });
      io.out(`invite code (shown once): ${secret(invite.code)}\n`);
      io.out(`single use, for ${invite.email ?? 'any email'}, until ${iso(invite.expiresAt)}\n`);
      return;
    }
    case 'list-users': {
      const users = await listUsers(deps, { limit: request.limit, afterEmail: request.after });
      if (users.length === 0) {
        io.out(request.after ? `no users after ${request.after}\n` : 'no users\n');
        return;
      }
      io.out(`${userTable(users)}\n`);
      if (users.length === request.limit) io.out(`(there may be more: list-users --after ${users.at(-1)!.email})\n`);
      return;
    }
    case 'disable': {
      const user = await disableUser(deps, request.email);
      io.out(`disabled ${user.email} (${user.id}): sessions ended, API access revoked\n`);
      return;
    }
    case 'enable': {
      const user = await enableUser(deps, request.email);
      io.out(`enabled ${user.email} (${user.id})\n`);
      return;
    }
    case 'delete': {
      const user = await deleteUser(deps, request.email);
      io.out(`deleted ${user.email} (${user.id}): API access revoked, the data the API stores for it is being removed\n`);
      return;
    }
  }
}

/**
 * The admin command line around `run`, which carries out parsed arguments wherever they are to
 * run: help, and errors as one line each with the exit code that says what kind they are.
 */
export async function adminCommand(
  argv: readonly string[],
  io: AdminIo,
  run: (args: AdminArgs) => Promise<number | void>,
): Promise<number> {
  try {
    const parsed = parseAdminArgs(argv);
    if (parsed.help) {
      io.out(`${ADMIN_USAGE}\n`);
      return EXIT.ok;
    }
    return (await run(parsed)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof AdminUsageError) {
      io.err(`admin: ${error.message}\nRun with --help to see the commands and their options.\n`);
      return EXIT.usage;
    }
    if (error instanceof AdminCommandError) {
      io.err(`admin: ${error.message}\n`);
      return EXIT.failed;
    }
    const { message, cause } = error instanceof Error ? error : { message: String(error), cause: undefined };
    io.err(`admin failed: ${message}${cause instanceof Error ? ` (${cause.message})` : ''}\n`);
    return EXIT.failed;
  }
}
