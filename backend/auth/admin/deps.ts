import { createKyselyAuthRepository } from '../auth-repository.kysely';
import type { AdminDeps } from '../commands/admin';
import { openAuthDatabase } from '../database';
import { migrateAuthDatabase } from '../migrations';
import { createPasswordHasher, type PasswordHasher } from '../password-hasher';
import type { Revocations } from '../revocations';

export interface OpenAdminDepsOptions {
  /** The auth server's DATABASE_URL. */
  databaseUrl: string;
  revocations: Revocations;
  /** The server's hasher by default; tests may pass a cheaper one. */
  passwords?: PasswordHasher;
}

/**
 * Opens the auth server's database for the admin commands, migrating it first as the server
 * does at start (the admin command may run before the server ever has).
 */
export async function openAdminDeps(options: OpenAdminDepsOptions): Promise<AdminDeps & { close(): Promise<void> }> {
  const { db, dialect } = openAuthDatabase(options.databaseUrl);
  try {
    await migrateAuthDatabase(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    repository: createKyselyAuthRepository(db),
    passwords: options.passwords ?? createPasswordHasher(),
    revocations: options.revocations,
    close: () => db.destroy(),
  };
}
