import { DynamoPlaylistRepository } from '../../adapters/dynamodb/playlist-repository.dynamodb';
import type { ApiConfig } from '../config';
import { createDynamoFunction } from '../dynamodb-function';
import type { ApiHandler } from '../types';
import { playlistRoutes } from './handlers';

/** The playlists Lambda: DynamoDB for playlists and their tracks, S3 only to presign the tracks' cover URLs. */
export function createPlaylistsFunction(config: ApiConfig): ApiHandler {
  return createDynamoFunction(config, (deps) =>
    playlistRoutes({ ...deps, playlists: new DynamoPlaylistRepository(deps.doc, config.tables.playlists) }),
  );
}
