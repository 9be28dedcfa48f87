import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessTokens } from './access-tokens';
import { createAuthApp } from './app';
import { createKyselyAuthRepository } from './auth-repository.kysely';
import { openAuthDatabase } from './database';
import type { AuthDeps, LogFn } from './deps';
import { migrateAuthDatabase } from './migrations';
import { createHashGate, type HashGateSettings } from './hash-gate';
import { type Argon2Params, createPasswordHasher } from './password-hasher';
import { createLimiters, DEFAULT_RATE_LIMITS, type RateLimitSettings, sweepExpiredCounters } from './rate-limits';
import { DEFAULT_REGISTRATION_POLICY, type RegistrationPolicy } from './registration-policy';
import type { Revocations } from './revocations';
import { SIGN_IN_HISTORY_DAYS } from './sign-in-history';
import { createKyselySignInHistory } from './sign-in-history.kysely';
import { openKeyStore } from './signing-keys';
import type { OriginRule } from '../http/cors';

export { createAuthApp } from './app';
export type { AuthDeps } from './deps';

export interface AuthServerOptions {
  /** Interface to listen on, e.g. '127.0.0.1'. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** `iss` of issued tokens; defaults to the actual base URL http://host:port. */
  issuer?: string;
  /** `aud` of issued tokens, e.g. 'alktunes-api'. */
  audience: string;
  /** 'sqlite:<file path>' | 'sqlite::memory:' | 'mysql://user:pass@host:port/db' */
  databaseUrl: string;
  /** JSON file holding the private signing keys; created (mode 0600) on first start. */
  keysFile: string;
  /** Allowed browser origins; by default any chrome-extension:// and moz-extension:// origin. */
  corsOrigins?: readonly OriginRule[];
  /** Password hashing cost; OWASP argon2id by default. Tests may pass cheaper parameters. */
  argon2?: Argon2Params;
  /** How many password hashes run at once and may wait; by default one per core and eight waiting per core. */
  hashGate?: Partial<HashGateSettings>;
  /** Structured logs; by default one JSON line per entry on stdout. */
  log?: (entry: Record<string, unknown>) => void;
  /** Milliseconds since the epoch for sessions and sign-in records (not the rate limits, which keep their own time); tests move it to cross time windows. */
  now?: () => number;
  /** Overrides of the sign-in, registration and password limits (DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimitSettings>;
  /**
   * Where the API learns of ended sessions and revoked users (`createDynamoRevocations`); a
   * server with no API behind it (tests, benchmarks) passes `MemoryRevocations`.
   */
  revocations: Revocations;
  /** Who may register (`open` | `invite` | `closed`); `invite` by default. */
  registration?: RegistrationPolicy;
  /**
   * Proxies (IPs or CIDRs) whose X-Forwarded-For names the client, e.g. ['127.0.0.1'] behind
   * nginx on the same host. None by default: the socket's peer is the client.
   */
  trustedProxies?: readonly string[];
}

export interface RunningAuthServer {
  /** Base URL the server listens on. */
  url: string;
  issuer: string;
  jwksUri: string;
  /** Stops accepting connections, ends open ones and closes the database. */
  close(): Promise<void>;
}

export const jsonLineLog: LogFn = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * How often old rows are deleted: rate-limit counters whose window ended (a read ignores them
 * already; this keeps the table from growing), and sign-in addresses not seen for
 * SIGN_IN_HISTORY_DAYS (kept no longer than they serve).
 */
const SWEEP_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Migrates the database, loads (or creates) signing keys and starts listening. */
export async function startAuthServer(options: AuthServerOptions): Promise<RunningAuthServer> {
  const log = options.log ?? jsonLineLog;
  const { db, dialect, driver } = openAuthDatabase(options.databaseUrl, { warn: (message) => log({ level: 'warn', msg: message }) });
  try {
    await migrateAuthDatabase(db, dialect);
    const keys = await openKeyStore(options.keysFile);

    const server = createServer();
    // Slow-client limits: auth requests are tiny, so anything slow is suspicious.
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${hostForUrl(options.host)}:${port}`;
    const issuer = (options.issuer ?? url).replace(/\/+$/, '');

    const deps: AuthDeps = {
      repository: createKyselyAuthRepository(db),
      passwords: createPasswordHasher({ argon2: options.argon2, gate: createHashGate(options.hashGate) }),
      accessTokens: createAccessTokens({ keys, issuer, audience: options.audience }),
      keys,
      issuer,
      audience: options.audience,
      log,
      revocations: options.revocations,
      corsOrigins: options.corsOrigins,
      limiters: createLimiters(driver, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }),
      signInHistory: createKyselySignInHistory(db, dialect),
      registration: options.registration ?? DEFAULT_REGISTRATION_POLICY,
      trustedProxies: options.trustedProxies,
      now: options.now,
    };
    server.on('request', createAuthApp(deps).callback());
    const sweep = setInterval(() => {
      sweepExpiredCounters(db, Date.now()).catch((error: unknown) =>
        log({ level: 'warn', msg: 'expired rate-limit counters not swept', error: String(error) }),
      );
      const historyCutoff = (options.now ?? Date.now)() - SIGN_IN_HISTORY_DAYS * DAY_MS;
      deps.signInHistory
        .forgetLastSeenBefore(historyCutoff)
        .catch((error: unknown) => log({ level: 'warn', msg: 'old sign-in addresses not forgotten', error: String(error) }));
    }, SWEEP_MS);
    sweep.unref();
    log({ level: 'info', msg: 'auth server listening', url, issuer, database: dialect, registration: deps.registration });

    let closing: Promise<void> | undefined;
    return {
      url,
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      close() {
        closing ??= (async () => {
          clearInterval(sweep);
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            // In-flight requests get a moment to finish before their sockets are cut.
            setTimeout(() => server.closeAllConnections(), 5_000).unref();
          });
          await db.destroy();
        })();
        return closing;
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
