import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { toIndexedTrack, type IndexedTrack } from '../../domain/search';
import type { SearchIndexWriter } from './search-index-writer';
import { createTrackSearch, type SearchBackendConfig, type SearchResources } from './track-search';

/**
 * How catalog writers (the import command, the demo seed, reindex) keep search in step with the
 * tracks table. Call `indexTracks` with the records just saved (any batch size, as often as you
 * like), then `publishSnapshot()` once at the end; `close()` when done.
 *
 * - embedded: changes collect in memory on top of the current snapshot; `publishSnapshot`
 *   writes a new versioned snapshot and switches `search-index/current.json` to it. Running
 *   search services pick it up within ~2 s.
 * - cloudsearch: `indexTracks` uploads documents at once (visible after CloudSearch's own
 *   indexing delay, usually seconds); `publishSnapshot` has nothing left to do.
 */
export interface IndexSync {
  indexTracks(records: readonly TrackRecord[]): Promise<void>;
  removeTracks(trackIds: readonly string[]): Promise<void>;
  /** Makes the changes visible; resolves to the new snapshot's version (embedded) or undefined. */
  publishSnapshot(): Promise<{ version: string } | undefined>;
  /** Replaces the whole index with `records` (reindex); publish afterwards. */
  replaceAll(records: readonly TrackRecord[]): Promise<void>;
  /** False when nothing was ever published (embedded); CloudSearch always answers true. */
  hasIndex(): Promise<boolean>;
  close(): void;
}

export interface IndexSyncOptions extends SearchResources {
  search: SearchBackendConfig;
  /**
   * The catalog, read by the CloudSearch sync to count albums and artists over all their
   * tracks (its documents carry the counts). Not needed for the embedded index.
   */
  catalog?: CatalogRepository;
}

export function createIndexSync(options: IndexSyncOptions): IndexSync {
  return indexSyncOver(
    createTrackSearch(options.search, { ...options, embedded: { pollMs: 60_000, ...options.embedded } }),
    options.catalog,
  );
}

/** The sync over an adapter already built; `catalog` completes albums for an index that needs whole ones. */
export function indexSyncOver(index: SearchIndexWriter, catalog?: CatalogRepository): IndexSync {
  return {
    indexTracks: async (records) => {
      const tracks = records.map(toIndexedTrack);
      await index.upsert(index.upsertsWholeAlbums ? await withWholeAlbums(tracks, catalog) : tracks);
    },
    removeTracks: (ids) => index.remove(ids),
    publishSnapshot: () => index.publish(),
    replaceAll: (records) => index.replaceAll(records.map(toIndexedTrack)),
    hasIndex: () => index.hasIndex(),
    close: () => index.close(),
  };
}

/**
 * The tracks plus every other track of their albums and of their artists' albums, so the
 * album and artist documents built from them carry whole counts.
 */
async function withWholeAlbums(tracks: IndexedTrack[], catalog: CatalogRepository | undefined): Promise<IndexedTrack[]> {
  if (!catalog) return tracks;
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const albumIds = new Set(tracks.map((t) => t.albumId));
  for (const artistId of new Set(tracks.map((t) => t.artistId))) {
    for (const album of await catalog.listArtistAlbums(artistId)) albumIds.add(album.id);
  }
  for (const albumId of albumIds) {
    for (const record of await catalog.listAlbumTracks(albumId)) if (!byId.has(record.id)) byId.set(record.id, toIndexedTrack(record));
  }
  return [...byId.values()];
}

/** Every track of the catalog, page by page. */
export async function allTracks(catalog: CatalogRepository, onPage?: (count: number) => void): Promise<TrackRecord[]> {
  const records: TrackRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.listTracks({ limit: 200, cursor });
    records.push(...page.items);
    onPage?.(records.length);
    cursor = page.cursor;
  } while (cursor);
  return records;
}

/** Rebuilds the index from the tracks table and publishes it (the `reindex` command). */
export async function rebuildIndex(catalog: CatalogRepository, sync: IndexSync, onPage?: (count: number) => void) {
  const records = await allTracks(catalog, onPage);
  await sync.replaceAll(records);
  const pointer = await sync.publishSnapshot();
  return { trackCount: records.length, version: pointer?.version };
}
