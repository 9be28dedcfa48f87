import type { AuthRepository, RefreshTokenRecord, UserRecord } from '../auth-repository';
import type { AccessTokens } from '../access-tokens';
import { invalidRefreshToken } from '../errors';
import {
  hashRefreshToken,
  newRefreshToken,
  openSuccessor,
  randomId,
  REFRESH_TOKEN_GRACE_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  sealSuccessor,
} from '../refresh-tokens';
import { revoke, type RevokeDeps } from './revoke';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

interface SessionDeps {
  repository: AuthRepository;
  accessTokens: AccessTokens;
  log: (entry: Record<string, unknown>) => void;
  now?: () => number;
}

/** A new, unused refresh token of `familyId`, valid for the full lifetime from `now`. */
const unusedToken = (user: UserRecord, familyId: string, tokenHash: string, now: number): RefreshTokenRecord => ({
  tokenHash,
  familyId,
  userId: user.id,
  createdAt: now,
  expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
  usedAt: null,
  revokedAt: null,
  sealedSuccessor: null,
});

async function withAccessToken(deps: SessionDeps, user: UserRecord, familyId: string, refreshToken: string): Promise<Session> {
  const { accessToken, expiresIn } = await deps.accessTokens.issue(user, familyId);
  return { accessToken, refreshToken, expiresIn };
}

/** Starts a new session (a new refresh-token family) for a user who just proved who they are. */
export async function startSession(deps: SessionDeps, user: UserRecord): Promise<Session> {
  const familyId = randomId('ses');
  const { token, tokenHash } = newRefreshToken();
  await deps.repository.insertRefreshToken(unusedToken(user, familyId, tokenHash, (deps.now ?? Date.now)()));
  return withAccessToken(deps, user, familyId, token);
}

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting a used one
 * means it leaked, so the whole family is revoked, for the API too. Except within the grace
 * window right after the exchange, while its successor is still unused: then it was the same
 * client twice (two of its parts at once, or a retry after a lost response), which gets that
 * same successor and a fresh access token.
 */
export async function rotateSession(deps: SessionDeps & RevokeDeps, refreshToken: string): Promise<Session> {
  const now = (deps.now ?? Date.now)();
  const tokenHash = hashRefreshToken(refreshToken);
  const stored = await deps.repository.findRefreshToken(tokenHash);
  if (!stored || stored.revokedAt !== null || stored.expiresAt <= now) throw invalidRefreshToken();
  const user = await deps.repository.findUserById(stored.userId);
  if (!user || user.disabledAt !== null) throw invalidRefreshToken();

  if (stored.usedAt === null) {
    const successor = newRefreshToken();
    const won = await deps.repository.rotateRefreshToken({
      usedTokenHash: tokenHash,
      usedAt: now,
      sealedSuccessor: sealSuccessor(refreshToken, successor.token),
      successor: unusedToken(user, stored.familyId, successor.tokenHash, now),
    });
    if (won) return withAccessToken(deps, user, stored.familyId, successor.token);
  }

  // Spent before, or a moment ago by a concurrent request: read it again to see which.
  const spent = await deps.repository.findRefreshToken(tokenHash);
  if (!spent || spent.revokedAt !== null) throw invalidRefreshToken();
  const successor = await successorWithinGrace(deps.repository, refreshToken, spent, now);
  if (successor) {
    deps.log({ level: 'info', msg: 'refresh token presented again within the grace window', userId: user.id, sessionId: stored.familyId });
    return withAccessToken(deps, user, stored.familyId, successor);
  }
  await deps.repository.revokeFamily(stored.familyId, now);
  deps.log({ level: 'warn', msg: 'refresh token reuse; session family revoked', userId: stored.userId, sessionId: stored.familyId });
  const { userId, familyId } = stored;
  try {
    await revoke(deps, { userId, sessionIds: [familyId] }, (revocations) => revocations.sessionsEnded(userId, [familyId]));
  } catch {
    // Logged by `revoke`. The presenter of a leaked token gets 401 all the same, not a 503 inviting a retry.
  }
  throw invalidRefreshToken();
}

/** The token `spent` was exchanged for, when that was within the grace window and it is still unused. */
async function successorWithinGrace(
  repository: AuthRepository,
  presented: string,
  spent: RefreshTokenRecord,
  now: number,
): Promise<string | undefined> {
  if (spent.usedAt === null || spent.sealedSuccessor === null) return undefined;
  if (now - spent.usedAt > REFRESH_TOKEN_GRACE_SECONDS * 1000) return undefined;
  const token = openSuccessor(presented, spent.sealedSuccessor);
  if (!token) return undefined;
  const successor = await repository.findRefreshToken(hashRefreshToken(token));
  const unused = successor && successor.usedAt === null && successor.revokedAt === null && successor.expiresAt > now;
  return unused ? token : undefined;
}

/**
 * Ends the session the refresh token belongs to, for the API too. Unknown tokens are ignored
 * (logout is idempotent). The refresh tokens are revoked first, so they stop working whatever
 * happens next; the API is told on every call, so a logout that failed to tell it (503) is
 * completed by repeating it.
 */
export async function endSession(deps: SessionDeps & RevokeDeps, refreshToken: string): Promise<void> {
  const stored = await deps.repository.findRefreshToken(hashRefreshToken(refreshToken));
  if (!stored) return;
  await deps.repository.revokeFamily(stored.familyId, (deps.now ?? Date.now)());
  await revoke(deps, { userId: stored.userId, sessionIds: [stored.familyId] }, (revocations) =>
    revocations.sessionsEnded(stored.userId, [stored.familyId]),
  );
}
