import { readFile } from 'node:fs/promises';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredKey } from '../../backend/auth/signing-keys';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(databaseTargets())('access tokens on $name', (target) => {
  const auth = useAuthServer(target);
  let session: { accessToken: string; user: { id: string } };
  let signingKey: StoredKey;

  beforeAll(async () => {
    if (!target.enabled) return;
    session = await registerAndSignIn(auth.api, newAccount());
    signingKey = (JSON.parse(await readFile(auth.server.keysFile, 'utf8')) as { keys: StoredKey[] }).keys[0]!;
  });

  /** Signs claims with the server's real private key, to test claim checks in isolation (of the live session by default). */
  async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const key = await importJWK(signingKey.privateJwk, signingKey.alg);
    const now = Math.floor(Date.now() / 1000);
    const { sid } = decodeJwt(session.accessToken);
    return new SignJWT({ iss: auth.server.issuer, aud: 'alktunes-api', sub: session.user.id, sid, iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, ...header })
      .sign(key);
  }

  const status = async (token: string) => (await auth.api.get('/auth/me', token)).status;

  it.runIf(target.enabled)('issues tokens with kid, iss, aud, sub, iat and a 15-minute exp', async () => {
    const header = decodeProtectedHeader(session.accessToken);
    const claims = decodeJwt(session.accessToken);
    expect(header).toMatchObject({ alg: 'RS256', kid: signingKey.kid });
    expect(claims).toMatchObject({ iss: auth.server.issuer, aud: 'alktunes-api', sub: session.user.id });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(await status(session.accessToken)).toBe(200);
    expect(await status(await forge({}))).toBe(200);
    // A valid signature is not enough: the token must belong to a live session of its user.
    expect(await status(await forge({ sid: undefined }))).toBe(401);
    expect(await status(await forge({ sid: 'ses_never_started' }))).toBe(401);
  });

  it.runIf(target.enabled)('publishes keys that verify issued tokens through the discovery document', async () => {
    const discovery = (await auth.api.get('/.well-known/openid-configuration')).body;
    expect(discovery).toMatchObject({ issuer: auth.server.issuer, jwks_uri: auth.server.jwksUri });
    expect(discovery.id_token_signing_alg_values_supported).toEqual(['RS256']);

    const jwks = (await auth.api.get('/.well-known/jwks.json')).body;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: signingKey.kid, alg: 'RS256', use: 'sig', kty: 'RSA' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);

    const remote = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload } = await jwtVerify(session.accessToken, remote, { issuer: auth.server.issuer, audience: 'alktunes-api' });
    expect(payload.sub).toBe(session.user.id);
  });

  it.runIf(target.enabled)('rejects an unsigned token (alg none)', async () => {
    const [, payload] = session.accessToken.split('.');
    expect(await status(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBe(401);
    expect(await status(`${b64({ alg: 'none', kid: signingKey.kid })}.${payload}.`)).toBe(401);
  });

  it.runIf(target.enabled)('rejects an HS256 token whose HMAC secret is the public key', async () => {
    const publicJwk = (await auth.api.get('/.well-known/jwks.json')).body.keys[0];
    const claims = decodeJwt(session.accessToken);
    for (const secret of [JSON.stringify(publicJwk), publicJwk.n as string]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: signingKey.kid })
        .sign(new TextEncoder().encode(secret));
      expect(await status(token)).toBe(401);
    }
  });

  it.runIf(target.enabled)('rejects expired tokens and wrong audience or issuer', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await status(await forge({ iat: past, exp: past + 900 }))).toBe(401);
    expect(await status(await forge({ aud: 'someone-else' }))).toBe(401);
    expect(await status(await forge({ iss: 'https://evil.example' }))).toBe(401);
    expect(await status(await forge({ sub: undefined }))).toBe(401);
    expect(await status(await forge({}, { kid: 'unknown-kid' }))).toBe(401);
  });

  it.runIf(target.enabled)('rejects a token whose payload was changed after signing', async () => {
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const other = (await registerAndSignIn(auth.api, newAccount())).user.id;
    expect(await status(`${header}.${b64({ ...claims, sub: other })}.${signature}`)).toBe(401);
    expect(await status(`${header}.${payload}.${signature!.slice(0, -4)}AAAA`)).toBe(401);
  });

  it.runIf(target.enabled)('answers missing or malformed Authorization headers with 401 and the error body', async () => {
    for (const authorization of [undefined, 'Bearer', 'Basic abc', 'Bearer not.a.jwt', `Token ${session.accessToken}`]) {
      const response = await auth.api.send('GET', '/auth/me', { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });
});
