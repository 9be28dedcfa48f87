import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { requirement } from '../../../test/support/requirements';
import type { Argon2Params } from '../password-hasher';
import type { RateLimitSettings } from '../rate-limits';
import { MemoryRevocations } from '../revocations.memory';
import { type AuthServerOptions, type RunningAuthServer, startAuthServer } from '../server';

/** Fast enough for suites that hash hundreds of passwords (well under a millisecond); production uses OWASP_ARGON2ID. */
export const TEST_ARGON2: Argon2Params = { memoryKiB: 256, passes: 1, parallelism: 1 };

const relaxed = { limit: 10_000, windowSeconds: 60 };
/** Generous limits so suites don't trip them; the rate-limit tests set their own. */
const RELAXED_LIMITS: RateLimitSettings = {
  loginPerAddress: relaxed,
  registerPerAddress: relaxed,
  failuresPerAddressAndAccount: relaxed,
  strangerFailuresPerAccount: relaxed,
  wrongPasswordsPerUser: relaxed,
};

/** A database the suite can own: a SQLite file in a temp dir, or a throwaway MySQL schema. */
export interface DatabaseTarget {
  name: 'sqlite' | 'mysql';
  enabled: boolean;
  create(dir: string): Promise<{ databaseUrl: string; drop(): Promise<void> }>;
}

/** SQLite always; MySQL/MariaDB when MYSQL_URL is set (skipped loudly otherwise, required in CI). */
export function databaseTargets(): DatabaseTarget[] {
  const mysqlUrl = process.env.MYSQL_URL;
  return [
    {
      name: 'sqlite',
      enabled: true,
      create: async (dir) => ({ databaseUrl: `sqlite:${join(dir, 'db', 'auth.sqlite')}`, drop: async () => {} }),
    },
    {
      name: 'mysql',
      enabled: requirement('MySQL', mysqlUrl, 'set MYSQL_URL=mysql://user@host:3306/db'),
      async create() {
        // Each suite gets its own schema, so parallel files and repeated runs never see each other's rows.
        const schema = `alk_auth_test_${randomBytes(6).toString('hex')}`;
        const admin = await createConnection({ uri: mysqlUrl! });
        await admin.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4`);
        await admin.end();
        const url = new URL(mysqlUrl!);
        url.pathname = `/${schema}`;
        return {
          databaseUrl: url.toString(),
          async drop() {
            const connection = await createConnection({ uri: mysqlUrl! });
            await connection.query(`DROP DATABASE IF EXISTS \`${schema}\``);
            await connection.end();
          },
        };
      },
    },
  ];
}

export interface TestAuthServer extends RunningAuthServer {
  databaseUrl: string;
  keysFile: string;
  /** Every structured log entry the server wrote. */
  logs: Record<string, unknown>[];
  /** Closes the server and removes its database and temp dir. */
  dispose(): Promise<void>;
}

/** Starts a real auth server on an ephemeral port against `target`. */
export async function startTestAuthServer(target: DatabaseTarget, overrides: Partial<AuthServerOptions> = {}): Promise<TestAuthServer> {
  const dir = await mkdtemp(join(tmpdir(), 'alktunes-auth-'));
  const keysFile = join(dir, 'keys', 'signing-keys.json');
  const logs: Record<string, unknown>[] = [];
  let database: Awaited<ReturnType<DatabaseTarget['create']>> | undefined;
  let server: RunningAuthServer;
  try {
    database = await target.create(dir);
    server = await startAuthServer({
      host: '127.0.0.1',
      port: 0,
      audience: 'alktunes-api',
      databaseUrl: database.databaseUrl,
      keysFile,
      argon2: TEST_ARGON2,
      rateLimits: RELAXED_LIMITS,
      // Suites register freely; the registration suite sets each policy itself.
      registration: 'open',
      log: (entry) => logs.push(entry),
      // No API behind it: what it would be told stays in this process (suites that check it pass their own).
      revocations: new MemoryRevocations(),
      ...overrides,
    });
  } catch (error) {
    // Nothing else would remove them: the caller never gets a server to dispose.
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    databaseUrl: database.databaseUrl,
    keysFile,
    logs,
    async dispose() {
      await server.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
