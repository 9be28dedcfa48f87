import Router from '@koa/router';
import type { Middleware } from 'koa';
import { unauthorized } from '../../domain/errors';
import { authenticateUser, changePassword, deleteAccount, registerUser } from '../commands/accounts';
import { endSession, rotateSession, startSession } from '../commands/sessions';
import type { AuthDeps, AuthState } from '../deps';
import { authenticate } from '../middlewares/authenticate';
import { limitByAddress, limitWrongPasswords } from '../middlewares/rate-limit';
import { inputOf, validate } from '../middlewares/validate';
import { presentRegistration, presentSession, presentSignIn, presentUser } from '../presenters';
import { ChangePasswordSchema, DeleteAccountSchema, LoginSchema, LogoutSchema, RefreshSchema, RegisterSchema } from '../schema';

/** Responses carry credentials: never cache them anywhere. */
const noStore: Middleware<AuthState> = async (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  return next();
};

/** `/auth/*`: each route is rate limit → authenticate → validate → command → presenter. */
export function authRoutes(deps: AuthDeps): Router<AuthState> {
  const { limiters } = deps;
  const requireUser = authenticate(deps);

  const router = new Router<AuthState>({ prefix: '/auth' });
  router.use(noStore);

  router.get('/registration', (ctx) => {
    ctx.body = presentRegistration(deps.registration);
  });

  // No tokens and no user: the answer must not depend on whether the email had an account.
  // The client signs in with /auth/login next.
  router.post('/register', limitByAddress(limiters.registerPerAddress), validate(RegisterSchema), async (ctx) => {
    await registerUser(deps, inputOf(ctx.state, RegisterSchema));
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  // Failures per account and per (account, address) are counted inside, where the account is known.
  router.post('/login', limitByAddress(limiters.loginPerAddress), validate(LoginSchema), async (ctx) => {
    const user = await authenticateUser(deps, inputOf(ctx.state, LoginSchema), ctx.ip);
    ctx.body = presentSignIn(await startSession(deps, user), user);
  });

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
    limitWrongPasswords(limiters.wrongPasswordsPerUser),
    validate(ChangePasswordSchema),
    async (ctx) => {
      await changePassword(deps, ctx.state.userId!, ctx.state.sessionId, inputOf(ctx.state, ChangePasswordSchema));
      ctx.status = 204;
    },
  );

  // A deletion that failed half-way leaves the account disabled with this session live: repeating it completes it.
  router.delete(
    '/me',
    authenticate(deps, { admitDisabled: true }),
    limitWrongPasswords(limiters.wrongPasswordsPerUser),
    validate(DeleteAccountSchema),
    async (ctx) => {
      await deleteAccount(deps, ctx.state.userId!, inputOf(ctx.state, DeleteAccountSchema).password);
      ctx.status = 204;
    },
  );

  return router;
}
