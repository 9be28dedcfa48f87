import type { AuthRepository, UserRecord } from '../auth-repository';
import type { AccessTokens } from '../access-tokens';
import { invalidRefreshToken } from '../errors';
import { hashRefreshToken, newRefreshToken, randomId, REFRESH_TOKEN_TTL_SECONDS } from '../refresh-tokens';

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

async function issueInFamily(deps: SessionDeps, user: UserRecord, familyId: string): Promise<Session> {
  const now = (deps.now ?? Date.now)();
  const { token, tokenHash } = newRefreshToken();
  await deps.repository.insertRefreshToken({
    tokenHash,
    familyId,
    userId: user.id,
    createdAt: now,
    expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
    usedAt: null,
    revokedAt: null,
  });
  const { accessToken, expiresIn } = await deps.accessTokens.issue(user, familyId);
  return { accessToken, refreshToken: token, expiresIn };
}

/** Starts a new session (a new refresh-token family) for a user who just proved who they are. */
export const startSession = (deps: SessionDeps, user: UserRecord) => issueInFamily(deps, user, randomId('ses'));

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting a used one
 * means it leaked (or a client raced itself), so the whole family is revoked.
 */
export async function rotateSession(deps: SessionDeps, refreshToken: string): Promise<Session> {
  const now = (deps.now ?? Date.now)();
  const stored = await deps.repository.findRefreshToken(hashRefreshToken(refreshToken));
  if (!stored || stored.revokedAt !== null || stored.expiresAt <= now) throw invalidRefreshToken();

  const won = stored.usedAt === null && (await deps.repository.markRefreshTokenUsed(stored.tokenHash, now));
  if (!won) {
    await deps.repository.revokeFamily(stored.familyId, now);
    deps.log({ level: 'warn', msg: 'refresh token reuse; session family revoked', userId: stored.userId, sessionId: stored.familyId });
    throw invalidRefreshToken();
  }

  const user = await deps.repository.findUserById(stored.userId);
  if (!user) throw invalidRefreshToken();
  return issueInFamily(deps, user, stored.familyId);
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function endSession(deps: SessionDeps, refreshToken: string): Promise<void> {
  const stored = await deps.repository.findRefreshToken(hashRefreshToken(refreshToken));
  if (stored) await deps.repository.revokeFamily(stored.familyId, (deps.now ?? Date.now)());
}
