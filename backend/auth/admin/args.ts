import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { DEFAULT_INVITE_DAYS, MAX_INVITE_DAYS } from '../invites';
import { RegisterSchema } from '../schema';

/** One admin action, validated. */
export type AdminRequest =
  | { command: 'create-user'; email: string; name: string; passwordFromStdin: boolean }
  | { command: 'invite'; email?: string; days: number }
  | { command: 'list-users'; limit: number; after?: string }
  | { command: 'disable' | 'enable' | 'delete'; email: string };

export type AdminCommandName = AdminRequest['command'];

/** Where `npm run admin` runs the request; the auth server's own `admin` sub-command takes none of these. */
export interface AdminTargetOptions {
  /** A `cdk deploy --outputs-file` JSON: run on that deployment's auth instance. */
  stackOutputs?: string;
  region?: string;
  /** The local stack's data folder. */
  dataDir?: string;
}

export interface AdminArgs {
  request: AdminRequest;
  target: AdminTargetOptions;
  /**
   * Print secrets (passwords, invite codes) sealed to this public key (SPKI DER, base64url), so
   * the output a deployment keeps of a remote command holds none (see `sealed-secrets.ts`).
   */
  sealTo?: string;
}

export type ParsedAdminArgs = { help: true } | ({ help: false } & AdminArgs);

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

export const ADMIN_USAGE = `Usage: npm run admin -- <command> [options]

Manages the accounts of the auth server: on the local stack (default), or on a deployment
(--stack-outputs), where it runs on the auth instance through SSM Run Command.

Commands:
  create-user --email <email> --name <name> [--password-stdin]
                          create an account, whatever the registration policy; prints a
                          generated password once, or takes the password from stdin
  invite [--email <email>] [--days <n>]
                          print a single-use invite code, valid ${DEFAULT_INVITE_DAYS} days (1–${MAX_INVITE_DAYS} with --days),
                          for that email only with --email
  list-users [--limit <n>] [--after <email>]
                          id, email, name, created and disabled time, in email order:
                          up to n users (default ${DEFAULT_LIST_LIMIT}, at most ${MAX_LIST_LIMIT}) after <email>
  disable <email>         stop the user signing in; end their sessions and API access
  enable <email>          let a disabled user sign in again
  delete <email> --yes    delete the account and everything the API stores for it

Target:
  --stack-outputs <file>  cdk outputs JSON (npm run deploy writes cdk-outputs.json) of a
                          deployment; needs AWS credentials allowed ssm:SendCommand and
                          ssm:GetCommandInvocation on its auth instance
  --region <region>       AWS region when the outputs name none (default: AWS_REGION)
  --data-dir <dir>        local stack data folder (default: ALKTUNES_DATA_DIR or .data)
  -h, --help              show this help`;

/** Bad command-line input; the message says what to fix. */
export class AdminUsageError extends Error {
  override name = 'AdminUsageError';
}

const commandOptions: Record<AdminCommandName, string[]> = {
  'create-user': ['email', 'name', 'password-stdin'],
  invite: ['email', 'days'],
  'list-users': ['limit', 'after'],
  disable: [],
  enable: [],
  delete: ['yes'],
};
const commonOptions = ['stack-outputs', 'region', 'data-dir', 'seal-to', 'help'];
const takesEmailArgument: AdminCommandName[] = ['disable', 'enable', 'delete'];

const isCommand = (name: string | undefined): name is AdminCommandName => name !== undefined && Object.hasOwn(commandOptions, name);

/** `value` checked by the registration schema's own rule for `field`, so the admin and the API agree. */
function checked<T>(schema: z.ZodType<T>, value: string | undefined, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AdminUsageError(`${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}
const emailFrom = (value: string | undefined, what: string) => checked(RegisterSchema.shape.email, value, what);

function wholeNumber(value: string | undefined, option: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max)
    throw new AdminUsageError(`--${option} must be a whole number from ${min} to ${max}, got "${value}"`);
  return number;
}

/** Parses `argv` (after `admin`); throws `AdminUsageError` with a message that says what to fix. */
export function parseAdminArgs(argv: readonly string[]): ParsedAdminArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        days: { type: 'string' },
        limit: { type: 'string' },
        after: { type: 'string' },
        yes: { type: 'boolean' },
        'stack-outputs': { type: 'string' },
        region: { type: 'string' },
        'data-dir': { type: 'string' },
        'seal-to': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new AdminUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...rest] = positionals;
  if (!isCommand(command)) {
    throw new AdminUsageError(command ? `unknown command "${command}"` : 'missing the command');
  }
  const allowed = new Set([...commandOptions[command], ...commonOptions]);
  const stray = Object.keys(values).find((option) => !allowed.has(option));
  if (stray) throw new AdminUsageError(`--${stray} is not an option of ${command}`);
  const expected = takesEmailArgument.includes(command) ? 1 : 0;
  if (rest.length !== expected) {
    throw new AdminUsageError(
      expected
        ? `${command} takes one email, got ${rest.length ? rest.join(' ') : 'none'}`
        : `${command} takes no argument, got ${rest.join(' ')}`,
    );
  }

  let request: AdminRequest;
  switch (command) {
    case 'create-user':
      request = {
        command,
        email: emailFrom(values.email, '--email'),
        name: checked(RegisterSchema.shape.name, values.name, '--name'),
        passwordFromStdin: values['password-stdin'] ?? false,
      };
      break;
    case 'invite':
      request = {
        command,
        ...(values.email !== undefined ? { email: emailFrom(values.email, '--email') } : {}),
        days: wholeNumber(values.days, 'days', 1, MAX_INVITE_DAYS, DEFAULT_INVITE_DAYS),
      };
      break;
    case 'list-users':
      request = {
        command,
        limit: wholeNumber(values.limit, 'limit', 1, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT),
        ...(values.after !== undefined ? { after: emailFrom(values.after, '--after') } : {}),
      };
      break;
    case 'delete':
      if (!values.yes) throw new AdminUsageError('delete removes the account and all its data for good: add --yes to confirm');
      request = { command, email: emailFrom(rest[0], 'the email') };
      break;
    default:
      request = { command, email: emailFrom(rest[0], 'the email') };
  }
  return {
    help: false,
    request,
    target: {
      ...(values['stack-outputs'] !== undefined ? { stackOutputs: values['stack-outputs'] } : {}),
      ...(values.region !== undefined ? { region: values.region } : {}),
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    },
    ...(values['seal-to'] !== undefined ? { sealTo: values['seal-to'] } : {}),
  };
}

/** The arguments that make `parseAdminArgs` return `request` again: what a remote run is given. */
export function adminRequestArgv(request: AdminRequest): string[] {
  switch (request.command) {
    case 'create-user':
      return [
        request.command,
        '--email',
        request.email,
        '--name',
        request.name,
        ...(request.passwordFromStdin ? ['--password-stdin'] : []),
      ];
    case 'invite':
      return [request.command, ...(request.email ? ['--email', request.email] : []), '--days', String(request.days)];
    case 'list-users':
      return [request.command, '--limit', String(request.limit), ...(request.after ? ['--after', request.after] : [])];
    case 'delete':
      return [request.command, request.email, '--yes'];
    default:
      return [request.command, request.email];
  }
}
