import type { S3Client } from '@aws-sdk/client-s3';
import type { TrackSearch } from '../../domain/search';
import { CloudSearchTrackSearch } from './cloudsearch/track-search.cloudsearch';
import { EmbeddedTrackSearch, type EmbeddedSearchOptions } from './embedded/track-search.embedded';
import { S3SnapshotStore } from './embedded/snapshot-store.s3';

/**
 * Which adapter serves search, as the API config and the admin commands describe it. A
 * CloudSearch domain is named (its endpoints are looked up with `DescribeDomains`, so nobody
 * copies them by hand) or, for a local stand-in, given by its endpoint.
 */
export type SearchBackendConfig =
  | { backend: 'embedded' }
  | { backend: 'cloudsearch'; domainName: string; configEndpoint?: string }
  | { backend: 'cloudsearch'; endpoint: string; documentEndpoint?: string };

export interface SearchResources {
  region: string;
  /** The media bucket holds the embedded index's snapshots. */
  s3: S3Client;
  bucket: string;
  /** Set for a local CloudSearch stand-in (the protocol stub); absent in the cloud. */
  cloudsearchCredentials?: { accessKeyId: string; secretAccessKey: string };
  embedded?: EmbeddedSearchOptions;
}

/**
 * The configured search adapter. Neither one searches until first used; a named CloudSearch
 * domain starts looking up its endpoints at once (during a function's cold start).
 */
export function createTrackSearch(config: SearchBackendConfig, resources: SearchResources): TrackSearch {
  if (config.backend === 'cloudsearch') {
    const where =
      'domainName' in config
        ? { domainName: config.domainName, configEndpoint: config.configEndpoint }
        : { searchEndpoint: config.endpoint, documentEndpoint: config.documentEndpoint };
    const local = isLocal('domainName' in config ? config.configEndpoint : config.endpoint);
    return new CloudSearchTrackSearch({
      region: resources.region,
      ...where,
      // A local stand-in accepts any signature; fixed keys avoid a credential-chain lookup.
      credentials: resources.cloudsearchCredentials ?? (local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined),
    });
  }
  return new EmbeddedTrackSearch(new S3SnapshotStore(resources.s3, resources.bucket), resources.embedded);
}

const isLocal = (endpoint: string | undefined) => !!endpoint && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(endpoint);
