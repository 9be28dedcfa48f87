import type { AuthRepository, UserRecord } from '../auth-repository';
import { unauthorized } from '../../domain/errors';
import { invalidCredentials, invalidInvite, isEmailTaken, isServerBusy, registrationClosed, wrongPassword } from '../errors';
import { hashInviteCode } from '../invites';
import type { PasswordHasher } from '../password-hasher';
import { randomId } from '../refresh-tokens';
import type { RegistrationPolicy } from '../registration-policy';
import type { ChangePasswordInput, LoginInput, RegisterInput } from '../schema';
import { admitSignIn, type SignInGuardDeps } from '../sign-in-guard';
import { revoke, type RevokeDeps } from './revoke';

interface AccountDeps {
  repository: AuthRepository;
  passwords: PasswordHasher;
  now?: () => number;
}

/** A new, enabled account with the password hashed; not stored yet. */
export async function newUserRecord(deps: AccountDeps, input: { email: string; name: string; password: string }): Promise<UserRecord> {
  return {
    id: randomId('usr'),
    email: input.email,
    name: input.name,
    passwordHash: await deps.passwords.hash(input.password),
    createdAt: (deps.now ?? Date.now)(),
    disabledAt: null,
  };
}

/**
 * Creates an account as the registration policy allows. It ends the same way whether or not
 * the email already has an account: the password is hashed and an invite used up either way,
 * and the existing account is left as it was, so registering cannot tell anyone who has an account.
 */
export async function registerUser(deps: AccountDeps & { registration: RegistrationPolicy }, input: RegisterInput): Promise<void> {
  if (deps.registration === 'closed') throw registrationClosed();
  if (deps.registration === 'invite' && !input.inviteCode) throw invalidInvite();
  const user = await newUserRecord(deps, input);
  try {
    if (deps.registration === 'invite') await deps.repository.createUserWithInvite(user, hashInviteCode(input.inviteCode!), user.createdAt);
    else await deps.repository.createUser(user);
  } catch (error) {
    if (!isEmailTaken(error)) throw error;
  }
}

/**
 * Checks email and password sent from `clientAddress`. The attempt is counted before the password
 * is checked (see `admitSignIn`), and an address the account signed in from before goes ahead of
 * the hash queue. Unknown email, wrong password and a disabled account take the same time and
 * fail with the same error, so none reveals whether an account exists.
 */
export async function authenticateUser(deps: AccountDeps & SignInGuardDeps, input: LoginInput, clientAddress: string): Promise<UserRecord> {
  const user = await deps.repository.findUserByEmail(input.email);
  const admission = await admitSignIn(deps, { email: input.email, userId: user?.id, clientAddress });
  const hashOptions = { priority: admission.knownAddress };
  let passwordMatches: boolean;
  try {
    passwordMatches = user
      ? await deps.passwords.verify(input.password, user.passwordHash, hashOptions)
      : await deps.passwords.verifyAgainstDummy(input.password);
  } catch (error) {
    if (isServerBusy(error)) await admission.withdrawn();
    throw error;
  }
  // Checked after the password, so a disabled account answers like a wrong password, in the same time.
  if (!user || !passwordMatches || user.disabledAt !== null) throw invalidCredentials();
  await admission.succeeded();
  if (deps.passwords.needsRehash(user.passwordHash)) {
    // Upgrade hashes made with older parameters while the password is at hand; when the server is busy, at a later sign-in.
    try {
      const passwordHash = await deps.passwords.hash(input.password, hashOptions);
      await deps.repository.updatePasswordHash(user.id, passwordHash, (deps.now ?? Date.now)());
      return { ...user, passwordHash };
    } catch (error) {
      if (!isServerBusy(error)) throw error;
    }
  }
  return user;
}

async function requireUser(deps: AccountDeps, userId: string) {
  const user = await deps.repository.findUserById(userId);
  if (!user) throw unauthorized();
  return user;
}

/**
 * Sets a new password and ends every other session of the user (the calling one stays), for the
 * API too. The API hears of it first: if that fails nothing has changed, and the same request
 * (with the same current password) can simply be repeated. A session that signed in while it
 * was being told is ended too, and the API told of it after.
 */
export async function changePassword(
  deps: AccountDeps & RevokeDeps,
  userId: string,
  currentSessionId: string | undefined,
  input: ChangePasswordInput,
): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!(await deps.passwords.verify(input.currentPassword, user.passwordHash))) throw wrongPassword('currentPassword');
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const now = (deps.now ?? Date.now)();
  const others = (await deps.repository.listLiveSessions(user.id, now)).filter((sessionId) => sessionId !== currentSessionId);
  if (others.length)
    await revoke(deps, { userId: user.id, sessionIds: others }, (revocations) => revocations.sessionsEnded(user.id, others));
  await deps.repository.updatePasswordHash(user.id, passwordHash, now);
  const ended = await deps.repository.revokeUserSessions(user.id, now, currentSessionId);
  const late = ended.filter((sessionId) => !others.includes(sessionId));
  if (late.length) await revoke(deps, { userId: user.id, sessionIds: late }, (revocations) => revocations.sessionsEnded(user.id, late));
}

/**
 * Deletes the account and all its sessions after re-checking the password. The account is
 * disabled first, so no sign-in or refresh issues a token after the API's revocation is taken.
 * Then the API hears of it (its tokens stop working, and its data is queued for erasure), and
 * only then is the account deleted. When a step fails, what is left is an account nobody can
 * use, whose deletion the same request (with the same, still live session) completes: never a
 * deleted account whose tokens still work, nor a usable one whose data is being erased.
 */
export async function deleteAccount(deps: AccountDeps & RevokeDeps, userId: string, password: string): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!(await deps.passwords.verify(password, user.passwordHash))) throw wrongPassword('password');
  if (user.disabledAt === null) {
    const now = (deps.now ?? Date.now)();
    await deps.repository.setUserDisabled(user.id, now, now);
  }
  await revoke(deps, { userId: user.id, reason: 'deleted' }, (revocations) => revocations.userRevoked(user.id, 'deleted'));
  await deps.repository.deleteUser(user.id);
}
