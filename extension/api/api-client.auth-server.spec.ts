// @vitest-environment node
// Node's own fetch and Web Locks: happy-dom's fetch applies a page's CORS rules and has no `navigator.locks`.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { databaseTargets, startTestAuthServer, type TestAuthServer } from '@@/backend/auth/testing/auth-test-server';
import { authClient, newAccount, registerAndSignIn } from '@@/backend/auth/testing/http-client';
import { createApiClient, REFRESH_TIMEOUT_MS } from './api-client';
import { keepTokenFresh } from '@/player/background/token-refresh';
import { readSession, writeSession } from './session-storage';

/**
 * The popup and the background each run their own API client over one `storage.local`.
 * These tests drive two such clients against a real auth server, the way waking from sleep
 * with an expired token and opening the popup does.
 */
/** The background's refresh alarm (see `keepTokenFresh`). */
const TOKEN_ALARM = 'refresh-access-token';

describe.each(databaseTargets())('api clients in two extension contexts, against the auth server on $name', (target) => {
  let server: TestAuthServer;
  let auth: ReturnType<typeof authClient>;
  /** How far the server's clock runs ahead of the real one: time the client spends waiting. */
  let serverClockAheadMs = 0;

  beforeAll(async () => {
    if (!target.enabled) return;
    server = await startTestAuthServer(target, { now: () => Date.now() + serverClockAheadMs });
    auth = authClient(server.url);
  });
  afterAll(async () => server?.dispose());
  beforeEach(() => {
    fakeBrowser.reset();
    serverClockAheadMs = 0;
  });

  /** Signs a new listener in and stores the session with its access token already expired. */
  async function expiredSession() {
    const signedIn = await registerAndSignIn(auth, newAccount());
    await writeSession({ ...signedIn, expiresAt: Date.now() - 1_000 });
  }

  /** One extension context's client, counting the refresh requests it sends. */
  function context() {
    const refreshes = { count: 0 };
    const onSignedOut = vi.fn();
    const client = createApiClient({
      authUrl: server.url,
      apiUrl: server.url,
      onSignedOut,
      fetch: (input, init) => {
        if (String(input).endsWith('/auth/refresh')) refreshes.count += 1;
        return fetch(input, init);
      },
    });
    return { client, refreshes, onSignedOut };
  }

  it.runIf(target.enabled).each([1, 2, 3, 4, 5])('keeps the listener signed in when both refresh at once (run %i)', async () => {
    await expiredSession();
    const popup = context();
    const background = context();

    // The popup loads a view while the background's alarm renews the token.
    const [me] = await Promise.all([popup.client.get<{ email: string }>('/auth/me'), background.client.refreshSoon(120_000)]);

    expect(me.email).toMatch(/@example\.com$/);
    expect(popup.onSignedOut).not.toHaveBeenCalled();
    expect(background.onSignedOut).not.toHaveBeenCalled();
    const stored = await readSession();
    expect(stored, 'the session is still stored').not.toBeNull();
    expect((await auth.get('/auth/me', stored!.accessToken)).status).toBe(200);
    // The family is intact: the stored refresh token still rotates.
    expect((await auth.post('/auth/refresh', { refreshToken: stored!.refreshToken })).status).toBe(200);
    // One refresh token is spent once: the second context used what the first one stored.
    expect(popup.refreshes.count + background.refreshes.count).toBe(1);
  });

  it.runIf(target.enabled)(
    'keeps the listener signed in when refresh answers are lost and the background tries again at its next alarm',
    async () => {
      await expiredSession();
      const onSignedOut = vi.fn();
      let answersToLose = 2;
      const client = createApiClient({
        authUrl: server.url,
        apiUrl: server.url,
        onSignedOut,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith('/auth/refresh') || answersToLose === 0) return response;
          // The server rotated, but the answer never arrives: the client waits out its timeout.
          answersToLose -= 1;
          serverClockAheadMs += REFRESH_TIMEOUT_MS;
          throw new DOMException('The operation timed out.', 'TimeoutError');
        },
      });
      let refreshing: Promise<unknown> = Promise.resolve();
      keepTokenFresh(() => (refreshing = client.refreshSoon(120_000)), { warn: vi.fn() });
      const fireAlarm = async () => {
        await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(TOKEN_ALARM)).toBeDefined());
        const { scheduledTime } = (await fakeBrowser.alarms.get(TOKEN_ALARM))!;
        serverClockAheadMs += Math.max(0, scheduledTime - Date.now());
        await fakeBrowser.alarms.clear(TOKEN_ALARM);
        await fakeBrowser.alarms.onAlarm.trigger({ name: TOKEN_ALARM, scheduledTime, persistAcrossSessions: false });
        await refreshing.catch(() => {});
      };

      await fireAlarm(); // both the refresh and its immediate retry lose their answers
      expect(answersToLose).toBe(0);
      await fireAlarm(); // the next alarm, at the delay the background really uses

      expect(onSignedOut).not.toHaveBeenCalled();
      const stored = await readSession();
      expect(stored, 'the session is still stored').not.toBeNull();
      expect(stored!.expiresAt).toBeGreaterThan(Date.now());
      expect((await auth.get('/auth/me', stored!.accessToken)).status).toBe(200);
      expect((await auth.post('/auth/refresh', { refreshToken: stored!.refreshToken })).status).toBe(200);
    },
  );
});
