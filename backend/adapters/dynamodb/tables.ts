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
  id: 'playlists' | 'tracks' | 'home' | 'revocations' | 'listening';
  /** Environment variable that carries the physical table name into the Lambdas (and the auth server). */
  envVar: 'PLAYLISTS_TABLE' | 'TRACKS_TABLE' | 'HOME_TABLE' | 'REVOCATIONS_TABLE' | 'LISTENING_TABLE';
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
 * The home feeds, each published as one item so readers never see half of one.
 * - global feed: pk `feed`, sk `current` (what a listener with no feed of their own gets)
 * - a listener's feed: pk `user#<sub>`, sk `feed` (built by the schedule from their plays and likes)
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

/**
 * What each listener played and liked, and the counts the home feed's schedule builds from.
 * - play:     pk `user#<sub>`, sk `play#<playId>`, `trackId`, `startedAt` (ISO), `msPlayed`,
 *             `timeKey` = `play#<startedAt>#<playId>` (the client's id makes a resend a no-op)
 * - like:     pk `user#<sub>`, sk `like#<trackId>`, `likedAt`, `timeKey` = `like#<likedAt>#<trackId>`
 * - count:    pk `user#<sub>`, sk `count#<trackId>`, `plays` (this listener's plays of the track)
 * - settings: pk `user#<sub>`, sk `settings`, `historyPaused`, `historyClearedAt` (ISO; plays that
 *             started before it are not stored again)
 * - changed:  pk `changed`, sk `user#<sub>`, `changedAt` (a listener whose feed is to be rebuilt:
 *             set by a play or a like, deleted by the schedule once it rebuilt the feed from them)
 * - day:      pk `day#<YYYY-MM-DD>`, sk `track#<trackId>`, `plays`, `expiresAt` (plays of all listeners
 *             on that UTC day: "Popular this week"; expires after 9 days)
 * LSI `byTime` reads one listener's plays (`begins_with(timeKey, 'play#')`) or likes newest first.
 */
export const listeningTable: TableDefinition = {
  id: 'listening',
  envVar: 'LISTENING_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [],
  localIndexes: [{ indexName: 'byTime', sortKey: S('timeKey') }],
  timeToLiveAttribute: 'expiresAt',
};

export const tables = [playlistsTable, tracksTable, homeTable, revocationsTable, listeningTable] as const;

/** Physical name of a table in the local stack, e.g. `alktunes-playlists` (CloudFormation names the deployed ones). */
export const tableName = (prefix: string, table: TableDefinition) => `${prefix}-${table.id}`;
