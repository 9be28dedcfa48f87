import { beforeEach, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { REFRESH_TOKEN_GRACE_SECONDS } from '../../backend/auth/refresh-tokens';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

describe.each(databaseTargets())('refresh-token rotation on $name', (target) => {
  /** How far the server's clock runs ahead of the real one. */
  let clockAheadMs = 0;

  const auth = useAuthServer(target, { now: () => Date.now() + clockAheadMs });
  beforeEach(() => {
    clockAheadMs = 0;
  });

  const signIn = () => registerAndSignIn(auth.api, newAccount());
  const refresh = (refreshToken: string) => auth.api.post('/auth/refresh', { refreshToken });
  const wait = (seconds: number) => {
    clockAheadMs += seconds * 1000;
  };

  it.runIf(target.enabled)('rotates to a new refresh token and a working access token', async () => {
    const session = await signIn();
    const rotated = await refresh(session.refreshToken);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(rotated.body.refreshToken).not.toBe(session.refreshToken);
    expect((await auth.api.get('/auth/me', rotated.body.accessToken)).status).toBe(200);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(200);
  });

  it.runIf(target.enabled)('gives every one of several concurrent refreshes with one token the same successor', async () => {
    const session = await signIn();
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(session.refreshToken)));

    expect(results.map((result) => result.status)).toEqual(Array(8).fill(200));
    const successors = new Set(results.map((result) => result.body.refreshToken));
    expect(successors.size).toBe(1);
    for (const result of results) expect((await auth.api.get('/auth/me', result.body.accessToken)).status).toBe(200);
    // The session lives on: the one successor rotates as usual.
    expect((await refresh([...successors][0]!)).status).toBe(200);
  });

  it.runIf(target.enabled)('returns the successor it already issued when the token comes again within the grace window', async () => {
    const session = await signIn();
    const first = (await refresh(session.refreshToken)).body;
    wait(REFRESH_TOKEN_GRACE_SECONDS - 1);

    const again = await refresh(session.refreshToken);
    expect(again.status).toBe(200);
    expect(again.body.refreshToken).toBe(first.refreshToken);
    expect(again.body.accessToken).not.toBe(first.accessToken);
    expect((await auth.api.get('/auth/me', again.body.accessToken)).status).toBe(200);
    expect((await refresh(first.refreshToken)).status).toBe(200);
    expect(auth.server.logs).toContainEqual(expect.objectContaining({ msg: 'refresh token presented again within the grace window' }));
  });

  it.runIf(target.enabled)('revokes the whole family when a rotated token is reused after the grace window', async () => {
    const session = await signIn();
    const second = (await refresh(session.refreshToken)).body;
    wait(REFRESH_TOKEN_GRACE_SECONDS + 1);

    const reuse = await refresh(session.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('invalid_refresh_token');
    // The token the legitimate client holds dies too: whoever had the leaked one can't continue.
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect(auth.server.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'refresh token reuse; session family revoked' }));
  });

  it.runIf(target.enabled)('revokes the family when the successor was already rotated further, even within the window', async () => {
    const session = await signIn();
    const second = (await refresh(session.refreshToken)).body;
    const third = (await refresh(second.refreshToken)).body;

    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await refresh(third.refreshToken)).status).toBe(401);
  });

  it.runIf(target.enabled)('keeps a signed-out session dead within the grace window', async () => {
    const session = await signIn();
    const second = (await refresh(session.refreshToken)).body;
    expect((await auth.api.post('/auth/logout', { refreshToken: second.refreshToken })).status).toBe(204);

    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it.runIf(target.enabled)('stores no refresh token readably, successors included', async () => {
    const session = await signIn();
    const second = (await refresh(session.refreshToken)).body;
    const { db } = openAuthDatabase(auth.server.databaseUrl);
    try {
      const rows = JSON.stringify(await db.selectFrom('refresh_tokens').selectAll().execute());
      for (const token of [session.refreshToken, second.refreshToken]) expect(rows).not.toContain(token);
      expect(rows).toContain('successor_sealed');
    } finally {
      await db.destroy();
    }
  });
});
