import type { Middleware } from 'koa';
import { unauthorized } from '../../domain/errors';
import type { AccessTokens } from '../access-tokens';
import type { AuthState } from '../deps';

/** Requires a valid `Authorization: Bearer <jwt>`; sets `ctx.state.userId` from the verified `sub`. */
export function authenticate(accessTokens: AccessTokens): Middleware<AuthState> {
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'));
    if (!match) throw unauthorized();
    try {
      const { userId, sessionId } = await accessTokens.verify(match[1]!);
      ctx.state.userId = userId;
      ctx.state.sessionId = sessionId;
    } catch {
      throw unauthorized();
    }
    return next();
  };
}
