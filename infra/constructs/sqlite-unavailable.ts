/**
 * Stands in for `better-sqlite3` in the production auth server bundle. The server runs on
 * MySQL there, and leaving the native module out keeps the artifact a few plain files that
 * need no compiler or `npm install` on the instance.
 */
export default class SqliteUnavailable {
  constructor() {
    throw new Error('SQLite is not part of the production auth server build; set DATABASE_URL=mysql://…');
  }
}
