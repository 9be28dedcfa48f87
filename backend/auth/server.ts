import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessTokens } from './access-tokens';
import { createAuthApp } from './app';
import { createKyselyAuthRepository } from './auth-repository.kysely';
import { openAuthDatabase } from './database';
import type { AuthDeps, LogFn } from './deps';
import { migrateAuthDatabase } from './migrations';
import { createPasswordHasher, type ScryptParams } from './password-hasher';
import type { RateLimitSettings } from './rate-limits';
import { openKeyStore } from './signing-keys';

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
  corsOrigins?: (string | RegExp)[];
  /** Password hashing cost; OWASP scrypt by default. Tests may pass cheaper parameters. */
  scrypt?: ScryptParams;
  /** Structured logs; by default one JSON line per entry on stdout. */
  log?: (entry: Record<string, unknown>) => void;
  /** Overrides of the login/register rate limits. */
  rateLimits?: Partial<RateLimitSettings>;
  /** Take client IPs from X-Forwarded-For (set when behind nginx). */
  trustProxy?: boolean;
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

/** Migrates the database, loads (or creates) signing keys and starts listening. */
export async function startAuthServer(options: AuthServerOptions): Promise<RunningAuthServer> {
  const log = options.log ?? jsonLineLog;
  const { db, dialect } = openAuthDatabase(options.databaseUrl);
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
      passwords: createPasswordHasher(options.scrypt),
      accessTokens: createAccessTokens({ keys, issuer, audience: options.audience }),
      keys,
      issuer,
      audience: options.audience,
      log,
      corsOrigins: options.corsOrigins,
      rateLimits: options.rateLimits,
      trustProxy: options.trustProxy,
    };
    server.on('request', createAuthApp(deps).callback());
    log({ level: 'info', msg: 'auth server listening', url, issuer, database: dialect });

    let closing: Promise<void> | undefined;
    return {
      url,
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      close() {
        closing ??= (async () => {
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
