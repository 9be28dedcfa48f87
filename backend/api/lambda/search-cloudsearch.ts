import { CloudSearchTrackSearch } from '../../adapters/search/cloudsearch/track-search.cloudsearch';
import { loadApiConfig } from '../config';
import { createSearchFunction } from '../search/function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

const config = loadApiConfig();
if (config.search.backend !== 'cloudsearch') {
  throw new Error(`This bundle serves CloudSearch; SEARCH_BACKEND=${config.search.backend} is deployed with lambda/search.ts`);
}

const search = new CloudSearchTrackSearch({ region: config.region, domainName: config.search.domainName });

/**
 * Lambda entry of the search function on CloudSearch (`-c searchBackend=cloudsearch`): no
 * embedded index or S3 client in the bundle. The domain's endpoints are looked up
 * during the cold start.
 */
export const handler = withLogContext(createSearchFunction(config, search));
