/**
 * The DynamoDB tables, defined once. The CDK stacks (infra/) and the local bootstrap
 * (backend/local/) both build their tables from these definitions, so the two cannot drift.
 *
 * Every table uses generic string keys `pk`/`sk`; item shapes stay private to the
 * repositories in this folder.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface LocalIndexDefinition {
  indexName: string;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical name, also the suffix of the physical table name. */
  id: 'playlists' | 'tracks' | 'home' | 'revocations';
  /** Environment variable that carries the physical table name into the Lambdas (and the auth server). */
  envVar: 'PLAYLISTS_TABLE' | 'TRACKS_TABLE' | 'HOME_TABLE' | 'REVOCATIONS_TABLE';
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalIndexes: GlobalIndexDefinition[];
  localIndexes: LocalIndexDefinition[];
  /**
   * Number attribute holding an epoch-seconds expiry; DynamoDB deletes expired items itself (TTL,
   * typically within days; DynamoDB Local, where `ensureTables` turns TTL on, on its own schedule).
   * Until then an expired item is still read, so readers treat it as absent themselves.
   */
  timeToLiveAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

/**
 * Playlists of all users and their entries.
 * - playlist: pk `user#<sub>`, sk `playlist#<id>` (one Query lists a user's playlists)
 * - entry:    pk `playlist#<id>`, sk `entry#<entryId>`, `rank` = fractional order key
 *   (LSI `byRank` reads a playlist in order; moving an entry rewrites only its rank)
 * - tombstone: pk `sweep`, sk `playlist#<id>` (a deleted playlist whose entries the sweep removes)
 * - idempotency record: pk `user#<sub>`, sk `idempotency#<key>`, `expiresAt` (TTL)
 */
export const playlistsTable: TableDefinition = {
  id: 'playlists',
  envVar: 'PLAYLISTS_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [],
  localIndexes: [{ indexName: 'byRank', sortKey: S('rank') }],
  // Idempotency records (pk `user#<sub>`, sk `idempotency#<key>`) expire a day after their request.
  timeToLiveAttribute: 'expiresAt',
};

/**
 * The catalog: tracks, albums and artists.
 * - track `track#<id>`/`track`, album `album#<id>`/`album`, artist `artist#<id>`/`artist`
 * - `gsi1` groups children under a parent (album → tracks in disc/track order,
 *   artist → albums by year)
 * - `gsi2` lists every item of one kind in name order (all albums, all artists, all tracks)
 */
export const tracksTable: TableDefinition = {
  id: 'tracks',
  envVar: 'TRACKS_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [
    { indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
    { indexName: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
  ],
  localIndexes: [],
};

/**
 * The shuffled home feed, published as one item (pk `feed`, sk `current`) so readers never
 * see half of one.
 */
export const homeTable: TableDefinition = {
  id: 'home',
  envVar: 'HOME_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [],
  localIndexes: [],
};

/**
 * Access tokens that stopped being valid before they expire, and accounts whose data is still to
 * be erased. The auth server writes; every API function reads one user's and one session's item
 * per request; the account purge reads the requests and clears them.
 * - ended session: pk `session#<sid>`, sk `ended`, `expiresAt` (every token of that session is refused)
 * - revoked user:  pk `user#<sub>`, sk `revoked`, `revokedBefore` (tokens with `iat` ≤ it are refused),
 *   `reason` (`disabled` | `deleted`), `expiresAt`
 * - purge request: pk `purge`, sk `user#<sub>`, `userId`, `deletedAt`, `settlesAt` (one Query lists the
 *   accounts still to be erased; no expiry: the purge deletes it)
 * Times are whole seconds since the epoch, as `iat` and TTL count them. Revocations carry
 * `expiresAt`: once every token they refuse has expired, DynamoDB drops them.
 */
export const revocationsTable: TableDefinition = {
  id: 'revocations',
  envVar: 'REVOCATIONS_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [],
  localIndexes: [],
  timeToLiveAttribute: 'expiresAt',
};

export const tables = [playlistsTable, tracksTable, homeTable, revocationsTable] as const;

/** Physical name of a table in the local stack, e.g. `alktunes-playlists` (CloudFormation names the deployed ones). */
export const tableName = (prefix: string, table: TableDefinition) => `${prefix}-${table.id}`;
