import cors from '@koa/cors';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { authCors, EXTENSION_ORIGINS, isAllowedOrigin, type OriginRule } from '../http/cors';
import type { AuthDeps, AuthState } from './deps';
import { methodNotAllowed } from './errors';
import { clientAddress } from './middlewares/client-address';
import { errorHandler } from './middlewares/error-handler';
import { jsonBody } from './middlewares/json-body';
import { requestLogger } from './middlewares/request-logger';
import { authRoutes } from './routes/auth';
import { wellKnownRoutes } from './routes/well-known';

function allowOrigin(allowed: readonly OriginRule[]) {
  return (ctx: Koa.Context) => {
    const origin = ctx.get('Origin');
    return isAllowedOrigin(origin, allowed) ? origin : '';
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
      origin: allowOrigin(deps.corsOrigins ?? EXTENSION_ORIGINS),
      allowMethods: [...authCors.allowMethods],
      allowHeaders: [...authCors.allowHeaders],
      exposeHeaders: [...authCors.exposeHeaders],
      maxAge: authCors.maxAgeSeconds,
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
