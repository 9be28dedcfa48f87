import type { S3Client } from '@aws-sdk/client-s3';
import { createIndexSync } from '../../adapters/search/index-sync';
import type { SearchBackendConfig } from '../../adapters/search/track-search';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { TargetError, type ImportTarget } from './target';

/** Writes imported tracks to the catalog search index, one batch at a time. */
export interface SearchIndexStep {
  /** Shown at the start of a run, e.g. `embedded (index snapshot in the media bucket)`. */
  description: string;
  /** Adds or replaces `records` in the index; idempotent (a batch may be sent again after an interruption). */
  updateSearchIndex(records: readonly TrackRecord[]): Promise<void>;
  /** Makes every update visible to searches (publishes the embedded snapshot); called once at the end of a run. */
  finish(): Promise<void>;
}

/** The embedded index is rewritten whole on each publish, so publish every this many tracks, not every batch. */
const PUBLISH_EVERY_TRACKS = 5000;

/** The search adapter's config for `target`: a CloudSearch domain by name, whose endpoints the adapter looks up itself. */
export function searchBackendConfig(target: ImportTarget): SearchBackendConfig {
  if (target.search.backend === 'embedded') return { backend: 'embedded' };
  if (target.search.domainName) return { backend: 'cloudsearch', domainName: target.search.domainName };
  throw new TargetError(
    'the search backend is CloudSearch but no domain is named: pass the deploy outputs with --stack-outputs, or set CLOUDSEARCH_DOMAIN',
  );
}

function describe(config: SearchBackendConfig): string {
  if (config.backend === 'embedded') return 'embedded (index snapshot in the media bucket)';
  return `CloudSearch (domain ${config.domainName})`;
}

/** The search index of `target`, kept in step through the same sync the seed and `reindex` use. */
export function createSearchIndexStep(target: ImportTarget, s3: S3Client, catalog: CatalogRepository): SearchIndexStep {
  const config = searchBackendConfig(target);
  const sync = createIndexSync({ search: config, region: target.region, s3, bucket: target.bucket, catalog, embedded: { log: () => {} } });
  let unpublished = 0;
  const publish = async () => {
    if (unpublished === 0) return;
    await sync.publishSnapshot();
    unpublished = 0;
  };
  return {
    description: describe(config),
    async updateSearchIndex(records) {
      await sync.indexTracks(records);
      unpublished += records.length;
      if (unpublished >= PUBLISH_EVERY_TRACKS) await publish();
    },
    async finish() {
      try {
        await publish();
      } finally {
        sync.close();
      }
    },
  };
}
