import type { AuthRepository, UserRecord } from '../auth-repository';
import { unauthorized } from '../../domain/errors';
import { invalidCredentials, wrongPassword } from '../errors';
import type { PasswordHasher } from '../password-hasher';
import { randomId } from '../refresh-tokens';
import type { ChangePasswordInput, LoginInput, RegisterInput } from '../schema';

interface AccountDeps {
  repository: AuthRepository;
  passwords: PasswordHasher;
  now?: () => number;
}

/** Creates an account; `email_taken` (409) when the email exists in any letter case. */
export async function registerUser(deps: AccountDeps, input: RegisterInput): Promise<UserRecord> {
  const user: UserRecord = {
    id: randomId('usr'),
    email: input.email,
    name: input.name,
    passwordHash: await deps.passwords.hash(input.password),
    createdAt: (deps.now ?? Date.now)(),
  };
  await deps.repository.createUser(user);
  return user;
}

/**
 * Checks email and password. Unknown email and wrong password take the same time and fail
 * with the same error, so neither reveals whether an account exists.
 */
export async function authenticateUser(deps: AccountDeps, input: LoginInput): Promise<UserRecord> {
  const user = await deps.repository.findUserByEmail(input.email);
  if (!user) {
    await deps.passwords.verifyAgainstDummy(input.password);
    throw invalidCredentials();
  }
  if (!(await deps.passwords.verify(input.password, user.passwordHash))) throw invalidCredentials();
  if (deps.passwords.needsRehash(user.passwordHash)) {
    // Upgrade hashes made with older parameters while the password is at hand.
    const passwordHash = await deps.passwords.hash(input.password);
    await deps.repository.updatePasswordHash(user.id, passwordHash, (deps.now ?? Date.now)());
    return { ...user, passwordHash };
  }
  return user;
}

async function requireUser(deps: AccountDeps, userId: string) {
  const user = await deps.repository.findUserById(userId);
  if (!user) throw unauthorized();
  return user;
}

/** Sets a new password and revokes every other session of the user (the calling one stays). */
export async function changePassword(
  deps: AccountDeps,
  userId: string,
  currentSessionId: string | undefined,
  input: ChangePasswordInput,
): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!(await deps.passwords.verify(input.currentPassword, user.passwordHash))) throw wrongPassword('currentPassword');
  const now = (deps.now ?? Date.now)();
  await deps.repository.updatePasswordHash(user.id, await deps.passwords.hash(input.newPassword), now);
  await deps.repository.revokeUserSessions(user.id, now, currentSessionId);
}

/** Deletes the account and all its sessions after re-checking the password. */
export async function deleteAccount(deps: AccountDeps, userId: string, password: string): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!(await deps.passwords.verify(password, user.passwordHash))) throw wrongPassword('password');
  await deps.repository.deleteUser(user.id);
}
