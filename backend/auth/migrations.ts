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
