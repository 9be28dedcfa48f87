import type { Middleware } from 'koa';
import { unauthorized } from '../../domain/errors';
import type { AuthDeps, AuthState } from '../deps';

/**
 * Requires a valid `Authorization: Bearer <jwt>` of a live session: sets `ctx.state.userId` from
 * the verified `sub` and `ctx.state.sessionId` from `sid`. Unlike the API, which learns of
 * revocations through the revocations table, the auth server asks its own database, so a token
 * is refused here the moment its session ends or its account is disabled or deleted.
 *
 * `admitDisabled` lets a disabled account's live session through: only a deletion that failed
 * half-way leaves one (disabling ends every session), and its owner repeats the deletion with it.
 */
export function authenticate(
  deps: Pick<AuthDeps, 'accessTokens' | 'repository' | 'now'>,
  options: { admitDisabled?: boolean } = {},
): Middleware<AuthState> {
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'));
    if (!match) throw unauthorized();
    let token;
    try {
      token = await deps.accessTokens.verify(match[1]!);
    } catch {
      throw unauthorized();
    }
    const { userId, sessionId } = token;
    const user = await deps.repository.findUserById(userId);
    if (!user || (user.disabledAt !== null && !options.admitDisabled) || !sessionId) throw unauthorized();
    if (!(await deps.repository.isSessionLive(userId, sessionId, (deps.now ?? Date.now)()))) throw unauthorized();
    ctx.state.userId = userId;
    ctx.state.sessionId = sessionId;
    return next();
  };
}
