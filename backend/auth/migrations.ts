import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { AuthDatabase, DialectName } from './database';

/** Schema changes, applied in key order. Never edit a shipped migration; add a new one. */
function migrations(dialect: DialectName): Record<string, Migration> {
  // MySQL: utf8mb4 for any name, binary collation so only our own normalization decides equality.
  const tableOptions = dialect === 'mysql' ? sql`default charset = utf8mb4 collate = utf8mb4_bin` : sql``;
  return {
    '0001_users_and_refresh_tokens': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'varchar(40)', (col) => col.primaryKey())
          .addColumn('email', 'varchar(254)', (col) => col.notNull())
          .addColumn('email_normalized', 'varchar(254)', (col) => col.notNull().unique())
          .addColumn('name', 'varchar(100)', (col) => col.notNull())
          .addColumn('password_hash', 'varchar(255)', (col) => col.notNull())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('updated_at', 'bigint', (col) => col.notNull())
          .modifyEnd(tableOptions)
          .execute();
        await db.schema
          .createTable('refresh_tokens')
          .addColumn('token_hash', 'char(64)', (col) => col.primaryKey())
          .addColumn('family_id', 'varchar(40)', (col) => col.notNull())
          .addColumn('user_id', 'varchar(40)', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('expires_at', 'bigint', (col) => col.notNull())
          .addColumn('used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .modifyEnd(tableOptions)
          .execute();
        await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute();
        await db.schema.createIndex('refresh_tokens_user_idx').on('refresh_tokens').column('user_id').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('refresh_tokens').execute();
        await db.schema.dropTable('users').execute();
      },
    },
    '0002_sign_in_history': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sign_in_history')
          .addColumn('user_id', 'varchar(40)', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('address_key', 'varchar(64)', (col) => col.notNull())
          .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
          .addPrimaryKeyConstraint('sign_in_history_pk', ['user_id', 'address_key'])
          .modifyEnd(tableOptions)
          .execute();
        // rate-limiter-flexible's table (it is told not to create its own); MySQL inserts by column position.
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'varchar(255)', (col) => col.notNull().primaryKey())
          .addColumn('points', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('expire', 'bigint')
          .modifyEnd(tableOptions)
          .execute();
        await db.schema.createIndex('rate_limits_expire_idx').on('rate_limits').column('expire').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('rate_limits').execute();
        await db.schema.dropTable('sign_in_history').execute();
      },
    },
    '0003_invites_and_account_status': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute();
        await db.schema
          .createTable('invites')
          .addColumn('code_hash', 'char(64)', (col) => col.primaryKey())
          .addColumn('email_normalized', 'varchar(254)')
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('expires_at', 'bigint', (col) => col.notNull())
          .addColumn('used_at', 'bigint')
          .modifyEnd(tableOptions)
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('invites').execute();
        await db.schema.alterTable('users').dropColumn('disabled_at').execute();
      },
    },
    '0004_refresh_token_successor': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('refresh_tokens').addColumn('successor_sealed', 'varchar(128)').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('refresh_tokens').dropColumn('successor_sealed').execute();
      },
    },
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations() {
    return migrations(this.dialect);
  }
}

/** Brings the schema up to date; throws (and the server refuses to start) if a step fails. */
export async function migrateAuthDatabase(db: Kysely<AuthDatabase>, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(dialect),
    migrationTableName: 'auth_migrations',
    migrationLockTableName: 'auth_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error('Auth database migration failed', { cause: error });
}
