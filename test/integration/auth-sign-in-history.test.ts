import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { databaseTargets, startTestAuthServer, type TestAuthServer } from '../../backend/auth/testing/auth-test-server';
import { authClient, newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_MS = 5 * 60_000;

describe.each(databaseTargets())('sign-in history on $name', (target) => {
  let server: TestAuthServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    vi.useRealTimers();
  });

  it.runIf(target.enabled)('forgets an address 90 days after the account last signed in from it, in the periodic sweep', async () => {
    // Only the sweep's timer is faked; requests and the server's clock run as usual.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = Date.UTC(2030, 0, 1);
    server = await startTestAuthServer(target, { now: () => clock });
    const api = authClient(server.url);
    const [stale, recent] = [newAccount(), newAccount()];
    const staleUser = (await registerAndSignIn(api, stale)).user;
    clock += 2 * DAY_MS;
    const recentUser = (await registerAndSignIn(api, recent)).user;

    const store = openAuthDatabase(server.databaseUrl);
    const remembered = () =>
      store.db
        .selectFrom('sign_in_history')
        .select('user_id')
        .execute()
        .then((rows) => rows.map((row) => row.user_id).sort());
    try {
      expect(await remembered()).toEqual([staleUser.id, recentUser.id].sort());
      clock += 89 * DAY_MS; // 91 days after the first sign-in, 89 after the second
      await vi.advanceTimersByTimeAsync(SWEEP_MS);
      await vi.waitFor(async () => expect(await remembered()).toEqual([recentUser.id]), { timeout: 5_000 });
    } finally {
      await store.db.destroy();
    }
  });
});
