import Router from '@koa/router';
import type { Middleware } from 'koa';
import { unauthorized } from '../../domain/errors';
import { authenticateUser, changePassword, deleteAccount, registerUser } from '../commands/accounts';
import { endSession, rotateSession, startSession } from '../commands/sessions';
import type { AuthDeps, AuthState } from '../deps';
import { authenticate } from '../middlewares/authenticate';
import { limitByIp, limitFailuresByAccount } from '../middlewares/rate-limit';
import { inputOf, validate } from '../middlewares/validate';
import { presentSession, presentSignIn, presentUser } from '../presenters';
import { DEFAULT_RATE_LIMITS, SlidingWindowLimiter } from '../rate-limits';
import {
  ChangePasswordSchema,
  DeleteAccountSchema,
  LoginSchema,
  LogoutSchema,
  RefreshSchema,
  RegisterSchema,
} from '../schema';

/** Responses carry credentials: never cache them anywhere. */
const noStore: Middleware<AuthState> = async (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  return next();
};

/** `/auth/*`: each route is rate limit → authenticate → validate → command → presenter. */
export function authRoutes(deps: AuthDeps): Router<AuthState> {
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const loginByIp = new SlidingWindowLimiter(limits.loginPerIp, deps.now);
  const registerByIp = new SlidingWindowLimiter(limits.registerPerIp, deps.now);
  const failuresByAccount = new SlidingWindowLimiter(limits.failuresPerAccount, deps.now);
  const requireUser = authenticate(deps.accessTokens);

  const router = new Router<AuthState>({ prefix: '/auth' });
  router.use(noStore);

  router.post('/register', limitByIp(registerByIp, 'register'), validate(RegisterSchema), async (ctx) => {
    const user = await registerUser(deps, inputOf(ctx.state, RegisterSchema));
    const session = await startSession(deps, user);
    ctx.status = 201;
    ctx.body = presentSignIn(session, user);
  });

  router.post(
    '/login',
    limitByIp(loginByIp, 'login'),
    validate(LoginSchema),
    limitFailuresByAccount(failuresByAccount),
    async (ctx) => {
      const user = await authenticateUser(deps, inputOf(ctx.state, LoginSchema));
      ctx.body = presentSignIn(await startSession(deps, user), user);
    },
  );

  router.post('/refresh', validate(RefreshSchema), async (ctx) => {
    ctx.body = presentSession(await rotateSession(deps, inputOf(ctx.state, RefreshSchema).refreshToken));
  });

  router.post('/logout', validate(LogoutSchema), async (ctx) => {
    await endSession(deps, inputOf(ctx.state, LogoutSchema).refreshToken);
    ctx.status = 204;
  });

  router.get('/me', requireUser, async (ctx) => {
    const user = await deps.repository.findUserById(ctx.state.userId!);
    // The token outlived its account (deleted since): treat it as invalid so clients sign out.
    if (!user) throw unauthorized();
    ctx.body = presentUser(user);
  });

  router.post(
    '/password',
    requireUser,
    limitFailuresByAccount(failuresByAccount),
    validate(ChangePasswordSchema),
    async (ctx) => {
      await changePassword(deps, ctx.state.userId!, ctx.state.sessionId, inputOf(ctx.state, ChangePasswordSchema));
      ctx.status = 204;
    },
  );

  router.delete(
    '/me',
    requireUser,
    limitFailuresByAccount(failuresByAccount),
    validate(DeleteAccountSchema),
    async (ctx) => {
      await deleteAccount(deps, ctx.state.userId!, inputOf(ctx.state, DeleteAccountSchema).password);
      ctx.status = 204;
    },
  );

  return router;
}
