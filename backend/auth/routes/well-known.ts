import Router from '@koa/router';
import { unavailable } from '../../domain/errors';
import type { AuthDeps, AuthState } from '../deps';

/** Discovery, keys and health: what API Gateway's JWT authorizer and load balancers read. */
export function wellKnownRoutes(deps: AuthDeps): Router<AuthState> {
  const router = new Router<AuthState>();
  const jwksUri = `${deps.issuer}/.well-known/jwks.json`;

  router.get('/.well-known/openid-configuration', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = {
      issuer: deps.issuer,
      jwks_uri: jwksUri,
      // Password sign-in happens at /auth/login; these are the endpoints the discovery format requires.
      authorization_endpoint: `${deps.issuer}/auth/login`,
      token_endpoint: `${deps.issuer}/auth/refresh`,
      userinfo_endpoint: `${deps.issuer}/auth/me`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: await deps.keys.algorithms(),
      token_endpoint_auth_methods_supported: ['none'],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'email', 'name', 'sid'],
    };
  });

  router.get('/.well-known/jwks.json', async (ctx) => {
    // Short cache so rotated keys appear quickly; API Gateway refetches on an unknown kid anyway.
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { keys: await deps.keys.publicJwks() };
  });

  router.get('/health', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await deps.repository.ping();
    } catch (error) {
      throw unavailable('The user database is unreachable', error);
    }
    ctx.body = { status: 'ok' };
  });

  return router;
}
