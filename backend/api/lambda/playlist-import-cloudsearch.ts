import { CloudSearchTrackSearch } from '../../adapters/search/cloudsearch/track-search.cloudsearch';
import { loadApiConfig } from '../config';
import { createPlaylistImportFunction } from '../playlist-import/function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

const config = loadApiConfig();
if (config.search.backend !== 'cloudsearch') {
  throw new Error(
    `This bundle matches through CloudSearch; SEARCH_BACKEND=${config.search.backend} is deployed with lambda/playlist-import.ts`,
  );
}

/** Lambda entry of the playlist import on CloudSearch (`-c searchBackend=cloudsearch`): no embedded index or S3 client in the bundle. */
export const handler = withLogContext(
  createPlaylistImportFunction(config, new CloudSearchTrackSearch({ region: config.region, domainName: config.search.domainName })),
);
