import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';

export interface CatalogBatchOptions {
  /** Most records per `saveTracks` call. */
  size: number;
  /** How long an idle writer waits for more records before writing what it has. */
  lingerMs: number;
  /** Records that may wait for a batch before `room()` holds producers back. */
  maxWaiting: number;
}

export const DEFAULT_CATALOG_BATCH: CatalogBatchOptions = { size: 50, lingerMs: 0, maxWaiting: 50 };

/**
 * Collects catalog records and writes them with `saveTracks`, one batch at a time (group
 * commit): an idle writer writes what is waiting after `lingerMs`; while a batch is being
 * written, new records gather, and the next batch takes up to `size` of them. Batches thus grow
 * with the load and add no latency when there is none.
 *
 * `save` resolves only once the record's batch is written (and rejects if that batch fails),
 * so a caller that awaits it before reporting a file keeps the importer's guarantee: a track is
 * recorded last, after its media, and only reported imported once stored.
 */
export function catalogBatches(catalog: CatalogRepository, options: CatalogBatchOptions = DEFAULT_CATALOG_BATCH) {
  type Waiter = { record: TrackRecord; resolve: () => void; reject: (error: unknown) => void };
  let waiting: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let roomWaiters: (() => void)[] = [];
  const hasRoom = () => waiting.length < options.maxWaiting;

  const writeNext = (): Promise<void> | undefined => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (writing || !waiting.length) return writing;
    const batch = waiting.slice(0, options.size);
    waiting = waiting.slice(batch.length);
    if (hasRoom()) {
      roomWaiters.forEach((wake) => wake());
      roomWaiters = [];
    }
    writing = catalog.saveTracks(batch.map((w) => w.record)).then(
      () => batch.forEach((w) => w.resolve()),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
    void writing.then(() => {
      writing = undefined;
      writeNext();
    });
    return writing;
  };

  return {
    save(record: TrackRecord): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ record, resolve, reject });
        if (!writing && !timer) timer = setTimeout(writeNext, options.lingerMs);
      });
    },
    /** Resolves when fewer than `maxWaiting` records wait (backpressure for the producers). */
    room(): Promise<void> {
      return hasRoom() ? Promise.resolve() : new Promise((resolve) => roomWaiters.push(resolve));
    },
    /** Resolves once every record saved so far is written (or its batch has failed). */
    async flush(): Promise<void> {
      while (writeNext() ?? waiting.length) await writing;
    },
  };
}
