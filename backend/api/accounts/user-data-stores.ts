import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPlaylistRepository } from '../../adapters/dynamodb/playlist-repository.dynamodb';
import type { UserDataStore } from '../../domain/account-purge';
import type { ApiConfig } from '../config';

/**
 * Every store that keeps data per user: the one list the account purge erases, so a deleted
 * account leaves nothing behind. A new per-user store registers here, and the purge function
 * gets its grants beside it (`purge` in infra/stacks/api-stack.ts).
 *
 * Only playlists (with their entries) are per user today. The media bucket holds none: audio,
 * covers and the search index belong to the shared catalog, and the API writes nothing to it.
 */
export function userDataStores(config: ApiConfig, doc: DynamoDBDocumentClient): UserDataStore[] {
  return [new DynamoPlaylistRepository(doc, config.tables.playlists)];
}
