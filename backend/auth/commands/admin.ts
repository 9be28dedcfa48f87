import { randomBytes } from 'node:crypto';
import type { AuthRepository, UserRecord } from '../auth-repository';
import { isEmailTaken } from '../errors';
import { DEFAULT_INVITE_DAYS, newInviteCode } from '../invites';
import type { PasswordHasher } from '../password-hasher';
import type { Revocations } from '../revocations';
import { newUserRecord } from './accounts';

/** What the admin commands work with: the user database and the API's revocation list. */
export interface AdminDeps {
  repository: AuthRepository;
  passwords: PasswordHasher;
  revocations: Revocations;
  now?: () => number;
}

/** An admin command cannot do what was asked (no such user, email taken); the message says why. */
export class AdminCommandError extends Error {
  override name = 'AdminCommandError';
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function userByEmail(deps: AdminDeps, email: string): Promise<UserRecord> {
  const user = await deps.repository.findUserByEmail(email);
  if (!user) throw new AdminCommandError(`no user has the email ${email}`);
  return user;
}

/** A password for an account an admin creates: 18 random bytes, 24 characters of base64url. */
export const generatePassword = () => randomBytes(18).toString('base64url');

/** Creates an account whatever the registration policy; unlike registration, says when the email is taken. */
export async function createUser(deps: AdminDeps, input: { email: string; name: string; password: string }): Promise<UserRecord> {
  const user = await newUserRecord(deps, input);
  try {
    await deps.repository.createUser(user);
  } catch (error) {
    if (isEmailTaken(error)) throw new AdminCommandError(`a user with the email ${input.email} exists already`);
    throw error;
  }
  return user;
}

/** Makes a single-use invite code, valid for `days` and, when `email` is given, for that email only. */
export async function createInvite(deps: AdminDeps, options: { email?: string; days?: number }) {
  const now = (deps.now ?? Date.now)();
  const { code, codeHash } = newInviteCode();
  const expiresAt = now + (options.days ?? DEFAULT_INVITE_DAYS) * DAY_MS;
  await deps.repository.createInvite({ codeHash, email: options.email ?? null, createdAt: now, expiresAt });
  return { code, email: options.email ?? null, expiresAt };
}

/** A user as the admin sees one: everything but the password hash, which nothing printed should carry. */
export type ListedUser = Omit<UserRecord, 'passwordHash'>;

export async function listUsers(deps: AdminDeps, page: { limit: number; afterEmail?: string }): Promise<ListedUser[]> {
  return (await deps.repository.listUsers(page)).map(({ passwordHash: _hash, ...user }) => user);
}

/**
 * Disables the account: it can no longer sign in or refresh, its sessions end, and the API
 * refuses its access tokens. Running it again is harmless (a failed run can be repeated).
 */
export async function disableUser(deps: AdminDeps, email: string): Promise<UserRecord> {
  const user = await userByEmail(deps, email);
  const now = (deps.now ?? Date.now)();
  const disabledAt = user.disabledAt ?? now;
  await deps.repository.setUserDisabled(user.id, disabledAt, now);
  await deps.repository.revokeUserSessions(user.id, now);
  await deps.revocations.userRevoked(user.id, 'disabled');
  return { ...user, disabledAt };
}

/** Lets a disabled account sign in again (its old sessions stay ended). */
export async function enableUser(deps: AdminDeps, email: string): Promise<UserRecord> {
  const user = await userByEmail(deps, email);
  await deps.repository.setUserDisabled(user.id, null, (deps.now ?? Date.now)());
  return { ...user, disabledAt: null };
}

/**
 * Deletes the account as its owner would, without the password, and in the same order: disabled
 * first (no sign-in or refresh after the API's revocation is taken), then the API told (its
 * tokens stop working and its data is removed), then deleted. A failure leaves a disabled
 * account that a retry deletes, never a deleted one whose tokens still work.
 */
export async function deleteUser(deps: AdminDeps, email: string): Promise<UserRecord> {
  const user = await userByEmail(deps, email);
  if (user.disabledAt === null) {
    const now = (deps.now ?? Date.now)();
    await deps.repository.setUserDisabled(user.id, now, now);
  }
  await deps.revocations.userRevoked(user.id, 'deleted');
  await deps.repository.deleteUser(user.id);
  return user;
}
