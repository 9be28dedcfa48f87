import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openAuthDatabase } from '../../backend/auth/database';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { useAuthServer } from '../support/auth-server';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_MS = 5 * 60_000;

describe.each(databaseTargets())('sign-in history on $name', (target) => {
  // Only the sweep's timer is faked, before the server starts it; requests and the server's clock run as usual.
  let clock = Date.UTC(2030, 0, 1);
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  const auth = useAuthServer(target, { now: () => clock });

  it.runIf(target.enabled)('forgets an address 90 days after the account last signed in from it, in the periodic sweep', async () => {
    const [stale, recent] = [newAccount(), newAccount()];
    const staleUser = (await registerAndSignIn(auth.api, stale)).user;
    clock += 2 * DAY_MS;
    const recentUser = (await registerAndSignIn(auth.api, recent)).user;

    const store = openAuthDatabase(auth.server.databaseUrl);
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
