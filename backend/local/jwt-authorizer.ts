import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/**
 * Verifies bearer tokens the way an API Gateway HTTP API JWT authorizer does: the key comes
 * from the issuer's discovery document (`jwks_uri`), the token must carry a `kid` that is
 * in that key set, be signed with an RSA algorithm (the only family HTTP API authorizers
 * accept), and have the configured `iss`, an accepted `aud`, and `exp`/`nbf`/`iat` that
 * hold now.
 */
export interface JwtAuthorizer {
  /** Returns the verified claims, or undefined when the request must get a 401. */
  authorize(authorizationHeader: string | undefined): Promise<JWTPayload | undefined>;
}

export const authorizerAlgorithms = ['RS256', 'RS384', 'RS512'];

export function createJwtAuthorizer(options: { issuer: string; audience: string }): JwtAuthorizer {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  async function keySet() {
    if (!jwks) {
      const discovery = await fetch(new URL('/.well-known/openid-configuration', options.issuer));
      if (!discovery.ok) throw new Error(`issuer discovery failed with ${discovery.status}`);
      const { jwks_uri: jwksUri } = (await discovery.json()) as { jwks_uri?: string };
      if (!jwksUri) throw new Error('issuer discovery document has no jwks_uri');
      // API Gateway caches keys for up to two hours; refetch sooner when an unknown kid appears.
      jwks = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: 2 * 60 * 60 * 1000, cooldownDuration: 5_000 });
    }
    return jwks;
  }

  return {
    async authorize(header) {
      // The identity source may hold the token alone or prefixed with "Bearer".
      const token = header?.replace(/^Bearer\s+/i, '').trim();
      if (!token) return undefined;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, await keySet(), {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: authorizerAlgorithms,
          requiredClaims: ['exp', 'sub'],
        });
        if (!protectedHeader.kid) return undefined;
        if (payload.iat !== undefined && payload.iat > Math.floor(Date.now() / 1000) + 5) return undefined;
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
