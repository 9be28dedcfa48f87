import type { Kysely } from 'kysely';
import type { AuthDatabase, DialectName } from './database';
import type { SignInHistory } from './sign-in-history';

/** The history over Kysely; the upsert is the one statement that differs between SQLite and MySQL. */
export function createKyselySignInHistory(db: Kysely<AuthDatabase>, dialect: DialectName): SignInHistory {
  return {
    async isKnown(userId, addressKey) {
      const row = await db
        .selectFrom('sign_in_history')
        .select('user_id')
        .where('user_id', '=', userId)
        .where('address_key', '=', addressKey)
        .executeTakeFirst();
      return row !== undefined;
    },

    async remember(userId, addressKey, now) {
      const insert = db.insertInto('sign_in_history').values({ user_id: userId, address_key: addressKey, last_seen_at: now });
      await (
        dialect === 'mysql'
          ? insert.onDuplicateKeyUpdate({ last_seen_at: now })
          : insert.onConflict((conflict) => conflict.columns(['user_id', 'address_key']).doUpdateSet({ last_seen_at: now }))
      ).execute();
    },

    async forgetLastSeenBefore(cutoff) {
      await db.deleteFrom('sign_in_history').where('last_seen_at', '<', cutoff).execute();
    },
  };
}
