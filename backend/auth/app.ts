import cors from '@koa/cors';
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { AuthDeps, AuthState } from './deps';
import { methodNotAllowed } from './errors';
import { clientAddress } from './middlewares/client-address';
import { errorHandler } from './middlewares/error-handler';
import { jsonBody } from './middlewares/json-body';
import { requestLogger } from './middlewares/request-logger';
import { authRoutes } from './routes/auth';
import { wellKnownRoutes } from './routes/well-known';

/** Chrome and Firefox extension pages (any id); the popup and background call from these. */
export const DEFAULT_CORS_ORIGINS: (string | RegExp)[] = [/^chrome-extension:\/\/[a-p]{32}$/, /^moz-extension:\/\/[\w-]{1,64}$/];

function allowOrigin(allowed: (string | RegExp)[]) {
  return (ctx: Koa.Context) => {
    const origin = ctx.get('Origin');
    const ok = allowed.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
    return ok ? origin : '';
  };
}

/** Builds the auth server's Koa app without listening; server.ts and in-process tests use it. */
export function createAuthApp(deps: AuthDeps): Koa<AuthState> {
  const app = new Koa<AuthState>();
  // Errors are answered and logged by errorHandler; keep Koa from printing them again.
  app.silent = true;

  const routers = [wellKnownRoutes(deps), authRoutes(deps)];

  app.use(clientAddress(deps.trustedProxies ?? []));
  app.use(requestLogger(deps.log));
  app.use(
    cors({
      origin: allowOrigin(deps.corsOrigins ?? DEFAULT_CORS_ORIGINS),
      allowMethods: ['GET', 'POST', 'DELETE'],
      allowHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
      exposeHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );
  app.use(helmet());
  app.use(errorHandler(deps.log));
  app.use(jsonBody());
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true, methodNotAllowed, notImplemented: methodNotAllowed }));
  }
  return app;
}
