import { createTrackSearch } from '../../adapters/search/track-search';
import { loadApiConfig } from '../config';
import { createSearchFunction } from '../search/function';
import { mapStackTracesOnDemand } from './stack-traces';

mapStackTracesOnDemand(import.meta.url);

const config = loadApiConfig();

/** Lambda entry of the search function on CloudSearch (`-c searchBackend=cloudsearch`). */
export const handler = createSearchFunction(config, (s3) => createTrackSearch(config.search, { region: config.region, s3, bucket: config.mediaBucket }));
