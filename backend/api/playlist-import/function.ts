import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoPlaylistRepository } from '../../adapters/dynamodb/playlist-repository.dynamodb';
import type { TrackSearch } from '../../domain/search';
import { accessCheckFor } from '../access-check';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { playlistCommands } from '../playlists/commands';
import type { ApiHandler } from '../types';
import { playlistImportRoutes } from './handlers';

/**
 * The playlist import Lambda: it matches a file's lines through the search index and writes the
 * playlist with the playlists function's commands. The search adapter is built by the caller, as
 * for the search function, so each Lambda entry bundles only the one it deploys with. It presigns
 * nothing: the answer holds the playlist, not its tracks.
 */
export function createPlaylistImportFunction(config: ApiConfig, search: Pick<TrackSearch, 'search'>): ApiHandler {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const catalog = new DynamoCatalogRepository(doc, config.tables.tracks);
  const playlists = new DynamoPlaylistRepository(doc, config.tables.playlists);
  const commands = playlistCommands({ playlists, catalog, now: () => new Date() });
  return dispatch(playlistImportRoutes({ commands, catalog, search }), accessCheckFor(config, client));
}
