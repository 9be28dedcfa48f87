import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoPlaylistRepository } from '../../adapters/dynamodb/playlist-repository.dynamodb';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { urlSignerFor } from '../media-url-signer';
import { accessCheckFor } from '../access-check';
import type { ApiHandler } from '../types';
import { playlistRoutes } from './handlers';

/**
 * The playlists Lambda: DynamoDB for playlists and their tracks, S3 only to presign the tracks'
 * cover URLs. Clients are built once per cold start.
 */
export function createPlaylistsFunction(config: ApiConfig): ApiHandler {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    playlistRoutes({
      playlists: new DynamoPlaylistRepository(doc, config.tables.playlists),
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
    accessCheckFor(config, client),
  );
}
