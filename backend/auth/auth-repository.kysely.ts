import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuthRepository, RefreshTokenRecord, UserRecord } from './auth-repository';
import { normalizeEmail } from './auth-repository';
import type { AuthDatabase, RefreshTokensTable, UsersTable } from './database';
import { emailTaken } from './errors';

/** True for a unique-key violation on SQLite (better-sqlite3) or MySQL/MariaDB (mysql2). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    errno === 1062
  );
}

// MySQL returns BIGINT as number with mysql2 defaults, but be explicit in case a pool option changes it.
const num = (value: number | string) => Number(value);
const numOrNull = (value: number | string | null) => (value === null ? null : Number(value));

const toUser = (row: Selectable<UsersTable>): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  createdAt: num(row.created_at),
});

const toToken = (row: Selectable<RefreshTokensTable>): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  userId: row.user_id,
  createdAt: num(row.created_at),
  expiresAt: num(row.expires_at),
  usedAt: numOrNull(row.used_at),
  revokedAt: numOrNull(row.revoked_at),
});

/** Users and refresh tokens over Kysely; the same queries run on SQLite and MySQL. */
export function createKyselyAuthRepository(db: Kysely<AuthDatabase>): AuthRepository {
  return {
    async createUser(user) {
      try {
        await db
          .insertInto('users')
          .values({
            id: user.id,
            email: user.email,
            email_normalized: normalizeEmail(user.email),
            name: user.name,
            password_hash: user.passwordHash,
            created_at: user.createdAt,
            updated_at: user.createdAt,
          })
          .execute();
      } catch (error) {
        if (isDuplicateKeyError(error)) throw emailTaken();
        throw error;
      }
    },

    async findUserByEmail(email) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email_normalized', '=', normalizeEmail(email))
        .executeTakeFirst();
      return row && toUser(row);
    },

    async findUserById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async updatePasswordHash(userId, passwordHash, now) {
      await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute();
    },

    async deleteUser(userId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
        await trx.deleteFrom('users').where('id', '=', userId).execute();
      });
    },

    async insertRefreshToken(token) {
      await db
        .insertInto('refresh_tokens')
        .values({
          token_hash: token.tokenHash,
          family_id: token.familyId,
          user_id: token.userId,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          used_at: token.usedAt,
          revoked_at: token.revokedAt,
        })
        .execute();
    },

    async findRefreshToken(tokenHash) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toToken(row);
    },

    async markRefreshTokenUsed(tokenHash, now) {
      // A conditional update is the rotation's lock: of two concurrent uses, only one updates the row.
      const result = await db
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async revokeFamily(familyId, now) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async revokeUserSessions(userId, now, keepFamilyId) {
      let query = db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (keepFamilyId) query = query.where('family_id', '!=', keepFamilyId);
      await query.execute();
    },

    async ping() {
      await sql`select 1`.execute(db);
    },
  };
}
