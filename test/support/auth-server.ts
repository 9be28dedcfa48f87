import { afterAll, beforeAll } from 'vitest';
import type { AuthServerOptions } from '../../backend/auth/server';
import { startTestAuthServer, type DatabaseTarget, type TestAuthServer } from '../../backend/auth/testing/auth-test-server';
import { authClient } from '../../backend/auth/testing/http-client';

export interface AuthServerUnderTest {
  server: TestAuthServer;
  /** A JSON client of the server. */
  api: ReturnType<typeof authClient>;
}

/**
 * A real auth server for the enclosing `describe`: started before its tests when the target's
 * database is at hand (tests then run with `it.runIf(target.enabled)`), disposed after them.
 * Read `server` and `api` inside hooks and tests, once they are set.
 */
export function useAuthServer(target: DatabaseTarget, overrides: Partial<AuthServerOptions> = {}): AuthServerUnderTest {
  const running = {} as AuthServerUnderTest;
  beforeAll(async () => {
    if (!target.enabled) return;
    running.server = await startTestAuthServer(target, overrides);
    running.api = authClient(running.server.url);
  });
  afterAll(async () => running.server?.dispose());
  return running;
}
