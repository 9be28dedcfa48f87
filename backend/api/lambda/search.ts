import { createS3Client } from '../../adapters/s3/client';
import { EmbeddedTrackSearch } from '../../adapters/search/embedded/track-search.embedded';
import { S3SnapshotStore } from '../../adapters/search/embedded/snapshot-store.s3';
import { loadApiConfig } from '../config';
import { createSearchFunction } from '../search/function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

const config = loadApiConfig();
if (config.search.backend !== 'embedded') {
  throw new Error(
    `This bundle serves the embedded index; SEARCH_BACKEND=${config.search.backend} is deployed with lambda/search-cloudsearch.ts`,
  );
}
const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });

/**
 * Lambda entry of the search function on the embedded index (no CloudSearch client in the
 * bundle); the index is loaded from S3 on the first request and kept fresh.
 */
export const handler = withLogContext(createSearchFunction(config, new EmbeddedTrackSearch(new S3SnapshotStore(s3, config.mediaBucket))));
