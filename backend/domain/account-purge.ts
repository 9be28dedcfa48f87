/**
 * Erasing what the API stores about an account once the account is deleted. The auth server
 * records a purge request with the deletion; a scheduled job erases the data and clears it.
 */

/** One deleted account whose data is (still) to be erased. */
export interface PurgeRequest {
  userId: string;
  /** When the account was deleted, in seconds since the epoch. */
  deletedAt: number;
  /**
   * From this time (seconds since the epoch) on, no access token of the account can be accepted
   * any more, so nothing can write new data for it: an erase after it is the last one needed.
   */
  settlesAt: number;
}

/** The pending purge requests. */
export interface PurgeQueue {
  /** Every request not yet completed, oldest first. */
  pending(): Promise<PurgeRequest[]>;
  /** Clears the request and the account's revocation record; only call it once all data is gone. */
  complete(request: PurgeRequest): Promise<void>;
}

/**
 * A store that keeps data per user. Each one registers in `userDataStores`
 * (backend/api/accounts/user-data-stores.ts), so a deleted account leaves nothing behind in it.
 */
export interface UserDataStore {
  /** What is erased, for logs, e.g. `playlists`. */
  readonly name: string;
  /** Erases everything of the user; safe to repeat and to resume after a failure. Returns the items removed. */
  eraseUser(userId: string): Promise<number>;
  /**
   * Finishes deletes a failure cut short (e.g. the entries of a deleted playlist), whoever made
   * them; the purge runs it first on every run. Returns the items removed.
   */
  finishDeletes?(): Promise<number>;
}
