import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import type { KeyStore } from './signing-keys';

/** Access tokens live 15 minutes; refresh tokens renew them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface AccessTokenSubject {
  id: string;
  email: string;
  name: string;
}

export interface AccessTokens {
  /** Signs a token for `user` within the refresh-token family `sessionId` (claim `sid`). */
  issue(user: AccessTokenSubject, sessionId: string): Promise<{ accessToken: string; expiresIn: number }>;
  /** Returns the user id (`sub`) and session of a valid token; throws on anything else. */
  verify(token: string): Promise<{ userId: string; sessionId?: string }>;
}

/** Signs and checks access JWTs with the newest key of the store (`kid` in the header). */
export function createAccessTokens(options: { keys: KeyStore; issuer: string; audience: string; ttlSeconds?: number }): AccessTokens {
  const ttl = options.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  return {
    async issue(user, sessionId) {
      const { kid, alg, key } = await options.keys.signingKey();
      const accessToken = await new SignJWT({ email: user.email, name: user.name, sid: sessionId })
        .setProtectedHeader({ alg, kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime(`${ttl}s`)
        .setJti(crypto.randomUUID())
        .sign(key);
      return { accessToken, expiresIn: ttl };
    },
    async verify(token) {
      // The algorithm list comes from our own keys, never from the token: blocks `none` and HS256-with-public-key.
      const jwks = createLocalJWKSet({ keys: await options.keys.publicJwks() });
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: await options.keys.algorithms(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return { userId: payload.sub!, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
    },
  };
}
