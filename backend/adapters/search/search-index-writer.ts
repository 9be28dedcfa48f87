import type { IndexedTrack, TrackSearch } from '../../domain/search';

/**
 * What the catalog writers (`index-sync.ts`: the import, the demo seed, reindex) need of a search
 * adapter besides `upsert` and `remove`. Each adapter answers for itself, so the sync never asks
 * which one it holds.
 */
export interface SearchIndexWriter extends TrackSearch {
  /**
   * True when the index builds album and artist entries from the tracks of each upsert alone
   * (CloudSearch: its album and artist documents carry counts), so a writer must send every track
   * of the albums and artists it touches; false when the index keeps the whole catalog itself.
   */
  readonly upsertsWholeAlbums: boolean;
  /** Replaces the whole index with `tracks` (reindex); publish afterwards. */
  replaceAll(tracks: readonly IndexedTrack[]): Promise<void>;
  /**
   * Makes the writes so far visible to searches. Resolves to the new snapshot's version, or
   * undefined when there was nothing to publish or writes are visible as they land (CloudSearch).
   */
  publish(): Promise<{ version: string } | undefined>;
  /** False while nothing was ever published, so a local stack knows to build the index first. */
  hasIndex(): Promise<boolean>;
  /** Stops any background work (the embedded index's poll). */
  close(): void;
}
