import type { Kysely } from 'kysely';
import { RateLimiterMySQL, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AuthDatabase, AuthDatabaseDriver } from './database';
import { rateLimited } from './errors';

/** At most `limit` events per window of `windowSeconds` (a fixed window from the first event). */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitSettings {
  /** Login requests from one client address (IPv6: one /64). */
  loginPerAddress: RateWindow;
  /** Registrations from one client address. */
  registerPerAddress: RateWindow;
  /** Wrong passwords for one account from one address. */
  failuresPerAddressAndAccount: RateWindow;
  /**
   * Wrong passwords for one account from addresses that never signed in to it. Over the limit,
   * new addresses wait; addresses the account signed in from before are not held back by it.
   */
  strangerFailuresPerAccount: RateWindow;
  /** Wrong current passwords of a signed-in user (password change, account deletion). */
  wrongPasswordsPerUser: RateWindow;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerAddress: { limit: 60, windowSeconds: 5 * 60 },
  registerPerAddress: { limit: 30, windowSeconds: 10 * 60 },
  failuresPerAddressAndAccount: { limit: 5, windowSeconds: 15 * 60 },
  strangerFailuresPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  wrongPasswordsPerUser: { limit: 10, windowSeconds: 15 * 60 },
};

/** One counter per key; `consume` counts atomically in the store, so parallel requests can't overrun it. */
export type Limiter = RateLimiterAbstract;
export type Limiters = Record<keyof RateLimitSettings, Limiter>;

/** The table the migration creates for the counters of every limit (rows keyed `<limit>:<key>`). */
const TABLE = 'rate_limits';

function createLimiter(driver: AuthDatabaseDriver, name: string, { limit, windowSeconds }: RateWindow): Limiter {
  // The table comes from the migration, and expired rows are swept by the server (`sweepExpiredCounters`).
  const common = {
    keyPrefix: name,
    points: limit,
    duration: windowSeconds,
    tableName: TABLE,
    tableCreated: true,
    clearExpiredByTimeout: false,
  };
  if (driver.dialect === 'sqlite') return new RateLimiterSQLite({ ...common, storeClient: driver.database, storeType: 'better-sqlite3' });
  if (!driver.databaseName) throw new Error('DATABASE_URL mysql:// must name a database, e.g. mysql://user@host:3306/alktunes');
  return new RateLimiterMySQL({ ...common, storeClient: driver.pool, storeType: 'pool', dbName: driver.databaseName });
}

/**
 * The counters behind every 429, kept in the auth database itself: SQLite for one process, the
 * shared MySQL when several processes serve the same users. Each counter is one row read and
 * written by its key, so the cost of a request does not grow with the number of clients seen.
 */
export function createLimiters(driver: AuthDatabaseDriver, settings: RateLimitSettings): Limiters {
  const entries = Object.entries(settings).map(([name, window]) => [name, createLimiter(driver, name, window)]);
  return Object.fromEntries(entries) as Limiters;
}

/** Deletes counters whose window ended; a background chore, never on a request's path. */
export async function sweepExpiredCounters(db: Kysely<AuthDatabase>, now: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('expire', '<', now).execute();
}

const secondsUntil = (rejection: RateLimiterRes) => Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));

/** Counts one event for `key`; over the limit, throws `rateLimited` with the seconds until the window ends. */
export async function consume(limiter: Limiter, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(secondsUntil(rejection));
    throw rejection;
  }
}

/** Takes back one event counted for `key` (the attempt turned out not to be a failure). */
export async function giveBack(limiter: Limiter, key: string): Promise<void> {
  await limiter.reward(key, 1);
}
