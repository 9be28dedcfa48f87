import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { DynamoHomeRepository } from '../adapters/dynamodb/home-repository.dynamodb';
import { DynamoPlaylistRepository } from '../adapters/dynamodb/playlist-repository.dynamodb';
import { createS3Client } from '../adapters/s3/client';
import { S3MediaStore } from '../adapters/s3/media-store.s3';
import { createTrackSearch } from '../adapters/search/track-search';
import type { ApiConfig } from './config';
import { catalogRoutes } from './catalog/handlers';
import { homeRoutes, publishShuffledFeed, type HomeDeps } from './home/handlers';
import { dispatch } from './http';
import { playlistRoutes } from './playlists/handlers';
import { searchRoutes } from './search/handlers';
import type { ApiHandler, FunctionName, ScheduleEvent } from './types';

/** Adapters built from config; SDK clients are created here once per cold start. */
function createDeps(config: ApiConfig) {
  const { doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
  return {
    catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
    playlists: new DynamoPlaylistRepository(doc, config.tables.playlists),
    home: new DynamoHomeRepository(doc, config.tables.home),
    media: new S3MediaStore(s3, config.mediaBucket),
    // Built lazily by the adapter: nothing is read until the first search.
    search: createTrackSearch(config.search, { region: config.region, s3, bucket: config.mediaBucket }),
    urlTtlSeconds: config.streamUrlTtlSeconds,
    now: () => new Date(),
  };
}

/** The API Lambdas; each dispatches on `event.routeKey` (see `routes.ts`). */
export function createApiFunctions(config: ApiConfig): Record<FunctionName, ApiHandler> {
  const deps = createDeps(config);
  return {
    playlists: dispatch(playlistRoutes(deps)),
    catalog: dispatch(catalogRoutes(deps)),
    home: dispatch(homeRoutes(deps)),
    search: dispatch(searchRoutes(deps)),
  };
}

/** The scheduled shuffle: publishes a new home feed and reports what it did. */
export function createShuffleHandler(config: ApiConfig): (event: ScheduleEvent) => Promise<{ trackCount: number; generatedAt: string }> {
  const deps: HomeDeps = createDeps(config);
  return async () => {
    const result = await publishShuffledFeed(deps);
    console.info(JSON.stringify({ level: 'info', message: 'home feed published', ...result }));
    return result;
  };
}
