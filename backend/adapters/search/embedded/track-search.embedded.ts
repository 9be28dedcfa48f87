import type { IndexedTrack, SearchHits, SearchQuery, Suggestion } from '../../../domain/search';
import { logger } from '../../../lambda-runtime/logger';
import type { SearchIndexWriter } from '../search-index-writer';
import { CatalogIndex } from './catalog-index';
import type { S3SnapshotStore, SnapshotPointer } from './snapshot-store.s3';

export interface EmbeddedSearchOptions {
  /** How often the pointer object is checked for a newer snapshot (default 2 s). */
  pollMs?: number;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
  /** Aborted when the host shuts down: the background poll stops. */
  signal?: AbortSignal;
}

type Change = { upsert: readonly IndexedTrack[] } | { remove: readonly string[] };

/**
 * The embedded adapter: serves from memory (CatalogIndex), loaded from the published snapshot.
 *
 * Readers stay fresh by checking the small pointer object at most every `pollMs` — on a timer
 * while the process runs and on each query (a frozen Lambda runs no timers) — and swap in the
 * new snapshot when its version changes. The swap happens in the background: a query never
 * waits for a reload, except the very first one.
 *
 * Writers (the import and reindex commands) call `upsert`/`remove`, then `publish()`. Unpublished
 * changes are replayed onto any newer snapshot loaded meanwhile, so a concurrent writer's
 * snapshot is extended rather than overwritten.
 */
export class EmbeddedTrackSearch implements SearchIndexWriter {
  /** The snapshot holds the whole catalog: an upsert's albums and artists are completed from it. */
  readonly upsertsWholeAlbums = false;
  private index = CatalogIndex.empty();
  private version: string | undefined;
  private pending: Change[] = [];
  /** Set by `replaceAll`: the next publish starts from nothing, not from the latest snapshot. */
  private replacing = false;
  private loaded: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private lastCheck = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Aborted by `close()`: cancels the S3 requests of a refresh under way. */
  private readonly closing = new AbortController();
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(
    private readonly store: S3SnapshotStore,
    options: EmbeddedSearchOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? toLogger;
    if (options.signal?.aborted) void this.close();
    else options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** Version of the snapshot being served (undefined before the first publish). */
  get currentVersion(): string | undefined {
    return this.version;
  }

  async search(query: SearchQuery): Promise<SearchHits> {
    return (await this.ready()).search(query);
  }

  async suggest(text: string, limit: number): Promise<Suggestion[]> {
    return (await this.ready()).suggest(text, limit);
  }

  async upsert(tracks: readonly IndexedTrack[]): Promise<void> {
    await this.ready();
    this.apply({ upsert: tracks });
  }

  async remove(trackIds: readonly string[]): Promise<void> {
    await this.ready();
    this.apply({ remove: trackIds });
  }

  /** Replaces everything with `tracks` (reindex): the next publish carries only these. */
  async replaceAll(tracks: readonly IndexedTrack[]): Promise<void> {
    await this.ready();
    this.index = CatalogIndex.empty();
    this.pending = [];
    this.replacing = true;
    this.apply({ upsert: tracks });
  }

  /** Publishes unpublished changes as a new snapshot; returns its pointer (undefined when nothing changed). */
  async publish(): Promise<SnapshotPointer | undefined> {
    await this.ready();
    if (this.pending.length === 0) return undefined;
    const latest = await this.store.readPointer();
    if (latest && latest.version !== this.version) await this.load(latest);
    const pointer = await this.store.publish(this.index.toSnapshot());
    this.version = pointer.version;
    this.pending = [];
    this.replacing = false;
    // Old snapshots only cost storage: a writer without s3:ListBucket/DeleteObject still publishes.
    await this.store
      .prune()
      .catch((error: unknown) => this.log({ level: 'warn', msg: 'could not delete old search snapshots', error: String(error) }));
    return pointer;
  }

  /** True once some writer has published a snapshot (checks the pointer now). */
  async hasIndex(): Promise<boolean> {
    await this.refresh();
    return this.version !== undefined;
  }

  /**
   * Stops the background poll and cancels a refresh under way (tests, shutdown): the host may
   * take S3 down next, and a refresh it had started must not reach for it. Resolves once that
   * refresh has settled. Queries still answer from the snapshot in memory.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.closing.abort();
    await this.refreshing?.catch(() => {});
  }

  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Checks the pointer now and reloads if it moved; resolves when done. */
  async refresh(): Promise<void> {
    // One under way may have read the pointer before the caller's publish: let it end, then read it again.
    if (this.refreshing) await this.refreshing.catch(() => {});
    this.lastCheck = this.now();
    this.refreshing ??= (async () => {
      try {
        const pointer = await this.store.readPointer(this.closing.signal);
        if (pointer && pointer.version !== this.version) await this.load(pointer);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async ready(): Promise<CatalogIndex> {
    if (!this.loaded) {
      this.loaded = this.refresh().then(() => {
        if (!this.closed) this.timer ??= setInterval(() => this.refreshInBackground(), this.pollMs).unref();
      });
      // A failed first load (S3 unreachable) is retried by the next call.
      this.loaded.catch(() => (this.loaded = undefined));
    }
    await this.loaded;
    if (this.now() - this.lastCheck >= this.pollMs) this.refreshInBackground();
    return this.index;
  }

  private refreshInBackground(): void {
    if (this.closed || this.refreshing || this.now() - this.lastCheck < this.pollMs / 2) return;
    this.refresh().catch((error: unknown) => {
      // Cancelled by close(): nothing failed.
      if (!this.closed) this.log({ level: 'warn', msg: 'search snapshot refresh failed; serving the previous one', error: String(error) });
    });
  }

  private async load(pointer: SnapshotPointer): Promise<void> {
    const started = this.now();
    const index = this.replacing ? CatalogIndex.empty() : CatalogIndex.fromSnapshot(await this.store.read(pointer, this.closing.signal));
    for (const change of this.pending) applyTo(index, change);
    this.index = index;
    this.version = pointer.version;
    this.log({ level: 'info', msg: 'search snapshot loaded', version: pointer.version, tracks: index.size, ms: this.now() - started });
  }

  private apply(change: Change): void {
    applyTo(this.index, change);
    this.pending.push(change);
  }
}

/** The default log: warnings to the functions' logger; a snapshot load, routine at every cold start, at debug level only. */
function toLogger({ level, msg, ...keys }: Record<string, unknown>): void {
  if (level === 'info') logger.debug(String(msg), keys);
  else logger.warn(String(msg), keys);
}

function applyTo(index: CatalogIndex, change: Change): void {
  if ('upsert' in change) index.upsert(change.upsert);
  else index.remove(change.remove);
}
