import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from './jwt-authorizer';

describe('local JWT authorizer (API Gateway semantics)', () => {
  let server: Server;
  let issuer: string;
  let rsa: { privateKey: CryptoKey; jwk: JWK };
  let ec: { privateKey: CryptoKey; jwk: JWK };
  const audience = 'alktunes-api';

  beforeAll(async () => {
    const makeKey = async (alg: 'RS256' | 'ES256', kid: string) => {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
    };
    rsa = await makeKey('RS256', 'rsa-1');
    ec = await makeKey('ES256', 'ec-1');
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }));
      else if (req.url === '/.well-known/jwks.json') res.end(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (
    overrides: { iss?: string; aud?: string; exp?: number; kid?: string | null; alg?: 'RS256' | 'ES256'; sub?: string | null } = {},
  ) => {
    const alg = overrides.alg ?? 'RS256';
    const key = alg === 'RS256' ? rsa : ec;
    const kid = overrides.kid === undefined ? key.jwk.kid : overrides.kid;
    const jwt = new SignJWT(overrides.sub === null ? {} : { sub: overrides.sub ?? 'usr_1' })
      .setProtectedHeader(kid ? { alg, kid } : { alg })
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 600);
    return jwt.sign(key.privateKey);
  };

  it('accepts a valid RS256 token with or without the Bearer prefix', async () => {
    const authorizer = createJwtAuthorizer({ issuer, audience });
    const jwt = await token();
    expect(await authorizer.authorize(`Bearer ${jwt}`)).toMatchObject({ sub: 'usr_1', iss: issuer });
    expect(await authorizer.authorize(jwt)).toMatchObject({ sub: 'usr_1' });
  });

  it('rejects missing, malformed, foreign and expired tokens', async () => {
    const authorizer = createJwtAuthorizer({ issuer, audience });
    const valid = await token();
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'usr_admin', iss: issuer, aud: audience, exp: 4e9 })).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const rejected = [
      undefined,
      '',
      'Bearer ',
      'Bearer not.a.jwt',
      `Bearer ${header}.${forged}.${signature}`,
      `Bearer ${unsigned}`,
      `Bearer ${await token({ iss: 'https://evil.example' })}`,
      `Bearer ${await token({ aud: 'another-api' })}`,
      `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 60 })}`,
      `Bearer ${await token({ kid: null })}`,
      `Bearer ${await token({ kid: 'unknown' })}`,
      `Bearer ${await token({ alg: 'ES256' })}`, // HTTP API authorizers accept RSA only
      `Bearer ${await token({ sub: null })}`,
    ];
    for (const header of rejected) expect(await authorizer.authorize(header), String(header)).toBeUndefined();
  });
});
