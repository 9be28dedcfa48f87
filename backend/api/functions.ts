import { createS3Client } from '../adapters/s3/client';
import { createTrackSearch } from '../adapters/search/track-search';
import { createCatalogFunction } from './catalog/function';
import type { ApiConfig } from './config';
import { createHomeFunction } from './home/function';
import { createListeningFunction } from './listening/function';
import { createPlaylistImportFunction } from './playlist-import/function';
import { createPlaylistsFunction } from './playlists/function';
import { createSearchFunction } from './search/function';
import type { ApiHandler, FunctionName } from './types';

/**
 * Every API function, for hosts that run them all in one process (the local stack, the tests),
 * search on whichever backend the config names. Each builds its own clients, as on Lambda; a
 * Lambda entry (`lambda/*.ts`) imports only its own function, so its bundle holds only that
 * function's code and SDK clients. Aborting `signal` stops their background work (the search
 * index's snapshot poll) when the host shuts down.
 */
export function createApiFunctions(config: ApiConfig, { signal }: { signal?: AbortSignal } = {}): Record<FunctionName, ApiHandler> {
  const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
  // One index in memory for search and the playlist import, as one process runs both here.
  const trackSearch = createTrackSearch(config.search, { region: config.region, s3, bucket: config.mediaBucket, embedded: { signal } });
  return {
    playlists: createPlaylistsFunction(config),
    catalog: createCatalogFunction(config),
    home: createHomeFunction(config),
    listening: createListeningFunction(config),
    playlistImport: createPlaylistImportFunction(config, trackSearch),
    search: createSearchFunction(config, trackSearch),
  };
}
