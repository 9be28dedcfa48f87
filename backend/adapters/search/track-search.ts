import type { S3Client } from '@aws-sdk/client-s3';
import { CloudSearchTrackSearch } from './cloudsearch/track-search.cloudsearch';
import { EmbeddedTrackSearch, type EmbeddedSearchOptions } from './embedded/track-search.embedded';
import { S3SnapshotStore } from './embedded/snapshot-store.s3';
import type { SearchIndexWriter } from './search-index-writer';

/**
 * Which adapter serves search, as the API config and the admin commands describe it. A
 * CloudSearch domain is named; its endpoints are looked up with `DescribeDomains`, so nobody
 * copies them by hand.
 */
export type SearchBackendConfig = { backend: 'embedded' } | { backend: 'cloudsearch'; domainName: string };

export interface SearchResources {
  region: string;
  /** The media bucket holds the embedded index's snapshots. */
  s3: S3Client;
  bucket: string;
  embedded?: EmbeddedSearchOptions;
}

/**
 * The configured search adapter, for hosts that may run either (the admin commands, the local
 * stack); a Lambda entry builds its one adapter itself, so its bundle holds no other. Neither
 * searches until first used; a CloudSearch domain starts looking up its endpoints at once
 * (during a function's cold start). Both adapters also write the index (`index-sync.ts`).
 */
export function createTrackSearch(config: SearchBackendConfig, resources: SearchResources): SearchIndexWriter {
  if (config.backend === 'cloudsearch') return new CloudSearchTrackSearch({ region: resources.region, domainName: config.domainName });
  return new EmbeddedTrackSearch(new S3SnapshotStore(resources.s3, resources.bucket), resources.embedded);
}
