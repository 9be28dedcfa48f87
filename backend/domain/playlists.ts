import type { EntryPosition, Playlist } from '../../shared/api';
import type { Page, PageRequest } from './catalog';
import type { EntriesPlan, IdempotencyClaim, IdempotencyRecord } from './idempotency';
import type { RankRewrite, RankWindow } from './rank';

// A playlist is stored exactly as clients see it; its limits are the API's.
export { FIRST_VERSION, MAX_ENTRIES_PER_ADD } from '../../shared/api';
export type { EntryPosition, Playlist } from '../../shared/api';

/** One stored slot of a playlist; the same track may appear in several entries. */
export interface PlaylistEntry {
  id: string;
  trackId: string;
  /** Fractional order key (see `rank.ts`); private to the server, never sent to clients. */
  rank: string;
  addedAt: string;
}

/** The playlist after a metadata change: one version later. */
export function applyPlaylistUpdate(current: Playlist, changes: { name?: string; description?: string }, now: string): Playlist {
  return {
    ...current,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    version: current.version + 1,
    updatedAt: now,
  };
}

/** How a move's write ended: done, the entry is gone, or a rank it rewrites changed meanwhile (plan again). */
export type MoveOutcome = 'moved' | 'missing' | 'raced';

/** One chunk of an add under an Idempotency-Key: chunk 0 claims the key with the whole plan, later ones advance it. */
export interface AddEntriesGuard {
  claim: IdempotencyClaim;
  plan: EntriesPlan;
  chunk: number;
}

/**
 * Storage of playlists and their entries. Every change that touches several items is one atomic
 * write, so the count always equals the entries, whatever fails.
 */
export interface PlaylistRepository {
  /**
   * Most entries one `addEntries` stores (with the count and the key's record, in one atomic
   * write): a larger add is written in several, each with its own count delta (`planChunks`).
   */
  readonly entriesPerWrite: number;
  listPlaylists(userId: string, page: PageRequest): Promise<Page<Playlist>>;
  getPlaylist(userId: string, playlistId: string): Promise<Playlist | undefined>;
  /**
   * Stores a new playlist; with `claim`, the key's record (holding the playlist) in the same
   * write. Throws `IdempotencyKeyTaken` when the key already holds an unexpired record.
   */
  createPlaylist(userId: string, playlist: Playlist, claim?: IdempotencyClaim): Promise<void>;
  /** The unexpired record the user's key holds at `now` (seconds since the epoch). */
  findIdempotencyRecord(userId: string, key: string, now: number): Promise<IdempotencyRecord | undefined>;
  /**
   * Writes `next`'s name, description, version and updatedAt only if the stored version is
   * still `next.version - 1`. Throws `conflict` (with the current version) or `not_found`.
   */
  updatePlaylist(userId: string, next: Playlist): Promise<Playlist>;
  /**
   * Deletes the playlist (its entries vanish for readers with it), then its entries; entries a
   * failure leaves behind are removed by the scheduled sweep. False when there was no such playlist.
   */
  deletePlaylist(userId: string, playlistId: string): Promise<boolean>;
  listEntries(playlistId: string, page: PageRequest): Promise<Page<PlaylistEntry>>;
  getEntry(playlistId: string, entryId: string): Promise<PlaylistEntry | undefined>;
  /**
   * Ranks of the entries on either side of where new entries would go, skipping
   * `ignoreEntryId` (the entry being moved). Undefined when the `before` entry does not exist.
   */
  neighbours(
    playlistId: string,
    position: EntryPosition,
    ignoreEntryId?: string,
  ): Promise<{ before: string | null; after: string | null } | undefined>;
  /**
   * Stores at most `entriesPerWrite` new entries and adds their number to the playlist's
   * `entryCount`, in one write (with `guard`, the key's record too). Throws `not_found` when the
   * playlist is gone, `IdempotencyKeyTaken` when another request holds or advanced the key.
   */
  addEntries(userId: string, playlistId: string, entries: PlaylistEntry[], now: string, guard?: AddEntriesGuard): Promise<void>;
  /**
   * Gives the entry its new rank, with a rebalance's `rewrites` (each conditional on the old rank)
   * in the same write. The rewrites may include the moving entry's own (a window read around the
   * gap holds it): a failure never leaves it anywhere but its old place or its new one.
   */
  moveEntry(playlistId: string, entryId: string, rank: string, rewrites: readonly RankRewrite[]): Promise<MoveOutcome>;
  /**
   * Deletes one entry and decrements the count in one write; false when there was no such
   * entry, `not_found` (Playlist) when the playlist is gone.
   */
  removeEntry(userId: string, playlistId: string, entryId: string, now: string): Promise<boolean>;
  /** Up to `size` entries on each side of the gap after `gapAfter`, for rebalancing ranks. */
  rankWindow(playlistId: string, gapAfter: string | null, size: number): Promise<RankWindow>;
  /** Applies rank rewrites in order, each conditional on the old rank; false if one lost a race. */
  rewriteRanks(playlistId: string, rewrites: readonly RankRewrite[]): Promise<boolean>;
}
