import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { groupCommit, type GroupCommitOptions } from './group-commit';

export type CatalogBatchOptions = GroupCommitOptions;

export const DEFAULT_CATALOG_BATCH: CatalogBatchOptions = { size: 50, lingerMs: 0, maxWaiting: 50 };

/**
 * Collects catalog records and writes them with `saveTracks`, one batch at a time (group
 * commit, see `groupCommit`).
 *
 * `save` resolves only once the record's batch is written (and rejects if that batch fails),
 * so a caller that awaits it before reporting a file keeps the importer's guarantee: a track is
 * recorded last, after its media, and only reported imported once stored.
 */
export function catalogBatches(catalog: CatalogRepository, options: CatalogBatchOptions = DEFAULT_CATALOG_BATCH) {
  const batches = groupCommit(async (records: TrackRecord[]) => {
    await catalog.saveTracks(records);
    return records.map(() => undefined);
  }, options);
  return {
    save: (record: TrackRecord): Promise<void> => batches.add(record),
    room: batches.room,
    flush: batches.flush,
  };
}
