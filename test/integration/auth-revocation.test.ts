/*
 * What the auth server tells the API, and what it does when it cannot: a revocation that can't
 * be written fails the request with 503 (logged with the ids), and the request, repeated, does
 * it all. The API side of the same revocations runs in revocation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Revocations } from '../../backend/auth/revocations';
import { MemoryRevocations } from '../../backend/auth/revocations.memory';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

/** Revocations that can be made to fail, as DynamoDB out of reach would, or slow, with requests arriving meanwhile. */
class SwitchableRevocations implements Revocations {
  readonly recorded = new MemoryRevocations();
  down = false;
  /** Runs once, inside the next write, before it lands: what other requests do while it is on its way. */
  whileWriting?: () => Promise<void>;

  async sessionsEnded(userId: string, sessionIds: string[]) {
    await this.write();
    await this.recorded.sessionsEnded(userId, sessionIds);
  }

  async userRevoked(userId: string, reason: 'disabled' | 'deleted') {
    await this.write();
    await this.recorded.userRevoked(userId, reason);
  }

  private async write() {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' });
    const meanwhile = this.whileWriting;
    this.whileWriting = undefined;
    await meanwhile?.();
  }
}

/** The session id (`sid`) of an access token. */
const sessionOf = (accessToken: string) =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

describe.each(databaseTargets())('revocations from the auth server on $name', (target) => {
  const revocations = new SwitchableRevocations();

  const auth = useAuthServer(target, { revocations });

  const notWritten = () => auth.server.logs.filter((entry) => String(entry.msg).startsWith('revocation not written'));
  const unavailable = { status: 503, body: { error: { code: 'unavailable', message: expect.any(String) } } };

  it.runIf(target.enabled)(
    'ends the session for the API on logout; when that fails, answers 503 and a repeated logout completes it',
    async () => {
      const session = await registerAndSignIn(auth.api, newAccount());
      const sessionId = sessionOf(session.accessToken);

      revocations.down = true;
      expect(await auth.api.post('/auth/logout', { refreshToken: session.refreshToken })).toMatchObject(unavailable);
      expect(notWritten().at(-1)).toMatchObject({ level: 'error', userId: session.user.id, sessionIds: [sessionId] });
      // Its refresh tokens stopped working all the same, and so did its access token here.
      expect((await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
      expect((await auth.api.get('/auth/me', session.accessToken)).status).toBe(401);
      expect(revocations.recorded.endedSessions.has(sessionId)).toBe(false);

      revocations.down = false;
      expect((await auth.api.post('/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);
      expect(revocations.recorded.endedSessions.get(sessionId)).toBe(session.user.id);
    },
  );

  it.runIf(target.enabled)(
    "ends the user's other sessions on a password change; when that fails, changes nothing and the request can be repeated",
    async () => {
      const account = newAccount();
      const current = await registerAndSignIn(auth.api, account);
      const other = (await auth.api.post('/auth/login', { email: account.email, password: account.password })).body as {
        accessToken: string;
        refreshToken: string;
      };
      const change = { currentPassword: account.password, newPassword: 'another long passphrase' };

      revocations.down = true;
      expect(await auth.api.post('/auth/password', change, current.accessToken)).toMatchObject(unavailable);
      expect(notWritten().at(-1)).toMatchObject({ userId: current.user.id, sessionIds: [sessionOf(other.accessToken)] });
      expect((await auth.api.get('/auth/me', other.accessToken)).status).toBe(200);
      expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(200);

      revocations.down = false;
      expect((await auth.api.post('/auth/password', change, current.accessToken)).status).toBe(204);
      expect(revocations.recorded.endedSessions.has(sessionOf(other.accessToken))).toBe(true);
      expect(revocations.recorded.endedSessions.has(sessionOf(current.accessToken))).toBe(false);
      expect((await auth.api.get('/auth/me', other.accessToken)).status).toBe(401);
      expect((await auth.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
      expect((await auth.api.get('/auth/me', current.accessToken)).status).toBe(200);
    },
  );

  it.runIf(target.enabled)('tells the API of a session that signed in while a password change was being written', async () => {
    const account = newAccount();
    const current = await registerAndSignIn(auth.api, account);
    await auth.api.post('/auth/login', { email: account.email, password: account.password });
    let late: { accessToken: string; refreshToken: string } | undefined;
    revocations.whileWriting = async () => {
      late = (await auth.api.post('/auth/login', { email: account.email, password: account.password })).body;
    };

    expect(
      (
        await auth.api.post(
          '/auth/password',
          { currentPassword: account.password, newPassword: 'another long passphrase' },
          current.accessToken,
        )
      ).status,
    ).toBe(204);
    expect(revocations.recorded.endedSessions.get(sessionOf(late!.accessToken))).toBe(current.user.id);
    expect((await auth.api.post('/auth/refresh', { refreshToken: late!.refreshToken })).status).toBe(401);
    expect((await auth.api.get('/auth/me', current.accessToken)).status).toBe(200);
  });

  it.runIf(target.enabled)("ends a reused refresh token's session for the API too; when that fails, still answers 401", async () => {
    const reused = async () => {
      const session = await registerAndSignIn(auth.api, newAccount());
      const second = (await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken })).body as { refreshToken: string };
      // The successor is spent too, so the first token is past any grace: it leaked.
      expect((await auth.api.post('/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(200);
      return { session, reuse: await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken }) };
    };

    const { session, reuse } = await reused();
    expect(reuse.status).toBe(401);
    expect(revocations.recorded.endedSessions.get(sessionOf(session.accessToken))).toBe(session.user.id);

    revocations.down = true;
    const failed = await reused();
    revocations.down = false;
    expect(failed.reuse).toMatchObject({ status: 401, body: { error: { code: 'invalid_refresh_token' } } });
    expect(notWritten().at(-1)).toMatchObject({
      level: 'error',
      userId: failed.session.user.id,
      sessionIds: [sessionOf(failed.session.accessToken)],
    });
    expect(revocations.recorded.endedSessions.has(sessionOf(failed.session.accessToken))).toBe(false);
  });

  it.runIf(target.enabled)('refuses a refresh that comes while the deletion is being written', async () => {
    const account = newAccount();
    const session = await registerAndSignIn(auth.api, account);
    let refreshed: { status: number } | undefined;
    revocations.whileWriting = async () => {
      refreshed = await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken });
    };

    expect((await auth.api.delete('/auth/me', { password: account.password }, session.accessToken)).status).toBe(204);
    expect(refreshed?.status).toBe(401);
  });

  it.runIf(target.enabled)(
    'revokes a deleted user and queues their data for erasure; when that fails, the account is unusable and the request can be repeated',
    async () => {
      const account = newAccount();
      const session = await registerAndSignIn(auth.api, account);

      revocations.down = true;
      expect(await auth.api.delete('/auth/me', { password: account.password }, session.accessToken)).toMatchObject(unavailable);
      expect(notWritten().at(-1)).toMatchObject({ userId: session.user.id, reason: 'deleted' });
      // Disabled before the API was told: nothing of it works here any more, so it cannot be given tokens the API would accept.
      expect((await auth.api.get('/auth/me', session.accessToken)).status).toBe(401);
      expect((await auth.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
      expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(401);

      revocations.down = false;
      expect((await auth.api.delete('/auth/me', { password: account.password }, session.accessToken)).status).toBe(204);
      expect(revocations.recorded.revokedUsers).toContainEqual({ userId: session.user.id, reason: 'deleted' });
      expect((await auth.api.get('/auth/me', session.accessToken)).status).toBe(401);
      expect((await auth.api.post('/auth/login', { email: account.email, password: account.password })).status).toBe(401);
    },
  );
});
