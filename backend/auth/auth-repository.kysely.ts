import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AuthRepository, RefreshTokenRecord, UserRecord } from './auth-repository';
import { normalizeEmail } from './auth-repository';
import type { AuthDatabase, RefreshTokensTable, UsersTable } from './database';
import { emailTaken, invalidInvite, isEmailTaken } from './errors';

/** True for a unique-key violation on SQLite (better-sqlite3) or MySQL/MariaDB (mysql2). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY' || errno === 1062;
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
  disabledAt: numOrNull(row.disabled_at),
});

async function insertUser(db: Kysely<AuthDatabase> | Transaction<AuthDatabase>, user: UserRecord) {
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
        disabled_at: user.disabledAt,
      })
      .execute();
  } catch (error) {
    if (isDuplicateKeyError(error)) throw emailTaken();
    throw error;
  }
}

const toToken = (row: Selectable<RefreshTokensTable>): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  userId: row.user_id,
  createdAt: num(row.created_at),
  expiresAt: num(row.expires_at),
  usedAt: numOrNull(row.used_at),
  revokedAt: numOrNull(row.revoked_at),
  sealedSuccessor: row.successor_sealed,
});

async function insertToken(db: Kysely<AuthDatabase>, token: RefreshTokenRecord) {
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
      successor_sealed: token.sealedSuccessor,
    })
    .execute();
}

/** Users and refresh tokens over Kysely; the same queries run on SQLite and MySQL. */
export function createKyselyAuthRepository(db: Kysely<AuthDatabase>): AuthRepository {
  return {
    async createUser(user) {
      await insertUser(db, user);
    },

    async createUserWithInvite(user, inviteCodeHash, now) {
      const created = await db.transaction().execute(async (trx) => {
        // The invite is checked before the email, so a bad code gets the same answer whether
        // or not the email has an account. The conditional update is the lock: of two racing
        // registrations only one updates the row; on MySQL the other waits for its commit.
        const claimed = await trx
          .updateTable('invites')
          .set({ used_at: now, email_normalized: null })
          .where('code_hash', '=', inviteCodeHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .where((eb) => eb.or([eb('email_normalized', 'is', null), eb('email_normalized', '=', normalizeEmail(user.email))]))
          .executeTakeFirst();
        if (claimed.numUpdatedRows !== 1n) throw invalidInvite();
        // A taken email commits the claim all the same (only the failed insert is undone, on
        // SQLite and MySQL alike): an invite left usable would tell its holder the email exists.
        try {
          await insertUser(trx, user);
          return true;
        } catch (error) {
          if (isEmailTaken(error)) return false;
          throw error;
        }
      });
      if (!created) throw emailTaken();
    },

    async findUserByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email_normalized', '=', normalizeEmail(email)).executeTakeFirst();
      return row && toUser(row);
    },

    async findUserById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async listUsers({ limit, afterEmail }) {
      let query = db.selectFrom('users').selectAll().orderBy('email_normalized').limit(limit);
      if (afterEmail !== undefined) query = query.where('email_normalized', '>', normalizeEmail(afterEmail));
      return (await query.execute()).map(toUser);
    },

    async setUserDisabled(userId, disabledAt, now) {
      await db.updateTable('users').set({ disabled_at: disabledAt, updated_at: now }).where('id', '=', userId).execute();
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
      await insertToken(db, token);
    },

    async findRefreshToken(tokenHash) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toToken(row);
    },

    async rotateRefreshToken({ usedTokenHash, usedAt, sealedSuccessor, successor }) {
      // The successor goes in first, so a request that sees the used token spent can always find
      // it. No transaction: a multi-statement one on MySQL could deadlock with a concurrent
      // revokeFamily's range locks. The conditional update is the rotation's lock: of two
      // concurrent uses, only one updates the row; the loser removes the successor nobody got.
      await insertToken(db, successor);
      const result = await db
        .updateTable('refresh_tokens')
        .set({ used_at: usedAt, successor_sealed: sealedSuccessor })
        .where('token_hash', '=', usedTokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) return true;
      await db.deleteFrom('refresh_tokens').where('token_hash', '=', successor.tokenHash).execute();
      return false;
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
      let query = db.updateTable('refresh_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (keepFamilyId) query = query.where('family_id', '!=', keepFamilyId);
      await query.execute();
      // MySQL has no UPDATE … RETURNING: the tokens this update revoked are those revoked at `now`.
      // Another revocation of the same user in the same millisecond may add its sessions, which
      // are ended all the same; a session that starts meanwhile is in neither.
      let ended = db
        .selectFrom('refresh_tokens')
        .select('family_id')
        .distinct()
        .where('user_id', '=', userId)
        .where('revoked_at', '=', now)
        .where('expires_at', '>', now);
      if (keepFamilyId) ended = ended.where('family_id', '!=', keepFamilyId);
      return (await ended.execute()).map((row) => row.family_id);
    },

    async listLiveSessions(userId, now) {
      const rows = await db
        .selectFrom('refresh_tokens')
        .select('family_id')
        .distinct()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      return rows.map((row) => row.family_id);
    },

    async isSessionLive(userId, familyId, now) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select('token_hash')
        .where('family_id', '=', familyId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async createInvite(invite) {
      await db
        .insertInto('invites')
        .values({
          code_hash: invite.codeHash,
          email_normalized: invite.email === null ? null : normalizeEmail(invite.email),
          created_at: invite.createdAt,
          expires_at: invite.expiresAt,
          used_at: null,
        })
        .execute();
    },

    async ping() {
      await sql`select 1`.execute(db);
    },
  };
}
