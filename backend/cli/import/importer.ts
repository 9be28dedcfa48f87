import pLimit from 'p-limit';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository, LargeMediaStore } from '../../domain/ports';
import { AlbumCovers, giveLateCovers } from './album-covers';
import { catalogBatches, DEFAULT_CATALOG_BATCH, type CatalogBatchOptions } from './catalog-batches';
import { importFile } from './import-file';
import type { SearchIndexStep } from './search-index';
import { trackLookups } from './track-lookups';
import { emptySummary, record, type FileOutcome, type ImportCounts, type ImportSummary } from './summary';
import { walkLibrary } from './walk';

/** Where the import writes. */
export interface ImportDeps {
  catalog: CatalogRepository;
  media: LargeMediaStore;
  searchIndex: SearchIndexStep;
}

/** Follows a run as it goes (a progress bar, log lines, a test). */
export interface ImportReporter {
  start(total: number): void;
  file(outcome: FileOutcome, counts: Readonly<ImportCounts>): void;
  warn(message: string): void;
  stop(): void;
}

export interface ImportOptions {
  root: string;
  dryRun: boolean;
  /** Files in flight at once. */
  concurrency: number;
  /** Aborting stops starting new files; files in flight finish and are indexed, then the run ends. */
  signal?: AbortSignal;
  reporter?: ImportReporter;
  /** Tracks per search index write. */
  indexBatchSize?: number;
  /** How catalog records are grouped into `saveTracks` calls (default: up to 50, group commit). */
  catalogBatch?: CatalogBatchOptions;
}

const silent: ImportReporter = { start() {}, file() {}, warn() {}, stop() {} };

/**
 * Imports every playable file under `options.root`. Never throws for a single file: each ends
 * up imported, unchanged, skipped or failed in the summary. Throws only when the root itself
 * cannot be listed (`RootError`).
 */
export async function runImport(deps: ImportDeps, options: ImportOptions): Promise<ImportSummary> {
  const startedAt = performance.now();
  const reporter = options.reporter ?? silent;
  const summary = emptySummary(options.dryRun);
  const listing = await walkLibrary(options.root);
  const note = (outcome: FileOutcome) => {
    record(summary, outcome);
    reporter.file(outcome, summary.counts);
  };
  reporter.start(listing.files.length + listing.dropped.length);
  listing.dropped.forEach(note);

  const index = searchIndexBatches(deps.searchIndex, options.indexBatchSize ?? 200, summary);
  const context = {
    findTrack: trackLookups(deps.catalog).get,
    media: deps.media,
    covers: new AlbumCovers({ media: deps.media, images: listing.images, write: !options.dryRun, warn: (m) => reporter.warn(m) }),
    rootName: listing.rootName,
    dryRun: options.dryRun,
    claimed: new Map<string, string>(),
  };
  const limit = pLimit(options.concurrency);
  // Records waiting for the catalog are bounded, so a run's reports (and an abort) keep pace
  // with the files read; the batches still gather whatever arrives while one is written.
  const maxWaiting = options.concurrency;
  const records = catalogBatches(deps.catalog, options.catalogBatch ?? { ...DEFAULT_CATALOG_BATCH, maxWaiting });
  /** Tracks saved with no cover: their album's cover may still turn up later in the run. */
  const coverless: TrackRecord[] = [];
  try {
    await Promise.all(
      listing.files.map(async (file) => {
        const started = await limit(async () => {
          if (options.signal?.aborted) {
            summary.notProcessed += 1;
            return undefined;
          }
          const imported = await importFile(file, context).catch((error: unknown) => failed(file.relPath, error));
          // The record is written last, after the file's media; the file only counts once it is.
          const saving = imported.record && !options.dryRun ? records.save(imported.record) : undefined;
          await records.room();
          return { result: imported, saving };
        });
        if (!started) return;
        const { result, saving } = started;
        const saved = saving
          ? await saving.then(
              () => result,
              (error: unknown) => failed(file.relPath, error),
            )
          : result;
        note(saved.outcome);
        if (saved.record && !options.dryRun) {
          index.add(saved.record);
          if (saved.record.coverKey === undefined) coverless.push(saved.record);
        }
      }),
    );
  } finally {
    await records.flush();
    await giveLateCovers(coverless, context.covers, deps.catalog).then(
      (late) => late.forEach(index.add),
      (error: unknown) => summary.errors.push(`covers: some tracks were saved without their album's cover (${describe(error)})`),
    );
    await index.flush();
    summary.interrupted = summary.notProcessed > 0;
    summary.elapsedMs = performance.now() - startedAt;
    reporter.stop();
  }
  return summary;
}

function failed(path: string, error: unknown): { outcome: FileOutcome; record: undefined } {
  return { outcome: { kind: 'failed', path, reason: describe(error) }, record: undefined };
}

/** A failure as one line: the SDK's error name and message, never a stack. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

/**
 * Collects imported tracks and writes them to the search index in batches, one batch at a
 * time. A failed batch is recorded as a run error (the catalog is already written; the reindex
 * command rebuilds the index from it).
 */
function searchIndexBatches(step: SearchIndexStep, size: number, summary: ImportSummary) {
  let pending: TrackRecord[] = [];
  let writing = Promise.resolve();
  const send = () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    writing = writing
      .then(() => step.updateSearchIndex(batch))
      .catch((error: unknown) => {
        summary.errors.push(`search index: ${batch.length} tracks not indexed (${describe(error)}); run the reindex command`);
      });
  };
  return {
    add(track: TrackRecord) {
      pending.push(track);
      if (pending.length >= size) send();
    },
    async flush() {
      send();
      await writing;
      await step.finish().catch((error: unknown) => {
        summary.errors.push(`search index: not published (${describe(error)}); run the reindex command`);
      });
    },
  };
}
