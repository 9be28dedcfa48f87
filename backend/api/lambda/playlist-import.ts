import { createS3Client } from '../../adapters/s3/client';
import { EmbeddedTrackSearch } from '../../adapters/search/embedded/track-search.embedded';
import { S3SnapshotStore } from '../../adapters/search/embedded/snapshot-store.s3';
import { loadApiConfig } from '../config';
import { createPlaylistImportFunction } from '../playlist-import/function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

const config = loadApiConfig();
if (config.search.backend !== 'embedded') {
  throw new Error(
    `This bundle matches through the embedded index; SEARCH_BACKEND=${config.search.backend} is deployed with lambda/playlist-import-cloudsearch.ts`,
  );
}
const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });

/**
 * Lambda entry of the playlist import on the embedded index (no CloudSearch client in the
 * bundle); the index is loaded from S3 on the first import and kept fresh.
 */
export const handler = withLogContext(
  createPlaylistImportFunction(config, new EmbeddedTrackSearch(new S3SnapshotStore(s3, config.mediaBucket))),
);
