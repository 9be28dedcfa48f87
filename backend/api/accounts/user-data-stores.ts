import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import { DynamoListeningRepository } from '../../adapters/dynamodb/listening-repository.dynamodb';
import { DynamoPlaylistRepository } from '../../adapters/dynamodb/playlist-repository.dynamodb';
import type { UserDataStore } from '../../domain/account-purge';
import type { ApiConfig } from '../config';

/**
 * Every store that keeps data per user: the one list the account purge erases, so a deleted
 * account leaves nothing behind. A new per-user store registers here, and the purge function
 * gets its grants beside it (`purge` in infra/stacks/api-stack.ts).
 *
 * Per user today: playlists (with their entries), and what the listener played and liked (with
 * their settings and the mark that asks the home feed's schedule to rebuild their feed), and the
 * home feed the schedule built for them. The media bucket holds none: audio, covers and the
 * search index belong to the shared catalog, and the API writes nothing to it.
 *
 * The listening data goes before the home feed: the schedule writes a listener's feed only
 * while their `changed` mark is there, so once the mark is erased no run can write back a feed
 * the home feed's erase would miss.
 */
export function userDataStores(config: ApiConfig, doc: DynamoDBDocumentClient): UserDataStore[] {
  return [
    new DynamoPlaylistRepository(doc, config.tables.playlists),
    new DynamoListeningRepository(doc, config.tables.listening),
    new DynamoHomeRepository(doc, config.tables.home),
  ];
}
