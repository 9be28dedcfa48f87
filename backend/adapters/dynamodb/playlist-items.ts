import * as z from 'zod/mini';
import '../../domain/zod-messages';
import type { Playlist, PlaylistEntry } from '../../domain/playlists';
import { isValidRank, type RankRewrite } from '../../domain/rank';
import { prefixedId } from './cursor';
import type { TransactItem } from './transactions';

/**
 * Item shapes of the playlists table (private to this adapter):
 * - playlist:  pk `user#<sub>`, sk `playlist#<id>`; entryCount changes only by atomic ADD, in the
 *   same transaction as the entries it counts
 * - entry:     pk `playlist#<id>`, sk `entry#<entryId>`, `rank` (LSI byRank keeps them in order)
 * - tombstone: pk `sweep`, sk `playlist#<id>`, `deletedAt`: a deleted playlist whose entries may
 *   still be stored (one Query lists them for the sweep)
 * - idempotency record: pk `user#<sub>`, sk `idempotency#<key>` (idempotency-records.dynamodb.ts)
 */
export type Item = Record<string, unknown>;
export const userPk = (userId: string) => `user#${userId}`;
export const playlistKey = (userId: string, id: string) => ({ pk: userPk(userId), sk: `playlist#${id}` });
export const entriesPk = (playlistId: string) => `playlist#${playlistId}`;
export const entryKey = (playlistId: string, entryId: string) => ({ pk: entriesPk(playlistId), sk: `entry#${entryId}` });
export const SWEEP_PK = 'sweep';
export const tombstoneKey = (playlistId: string) => ({ pk: SWEEP_PK, sk: `playlist#${playlistId}` });

/** Start keys a page of the user's playlists, or of one playlist's entries (byRank), may carry. */
export const playlistsStartKey = (pk: string) => z.strictObject({ pk: z.literal(pk), sk: prefixedId('playlist#') });
export const entriesStartKey = (pk: string) =>
  z.strictObject({ pk: z.literal(pk), sk: prefixedId('entry#'), rank: z.string().check(z.maxLength(1024), z.refine(isValidRank)) });

export const toPlaylist = (item: Item): Playlist => ({
  id: item.id as string,
  name: item.name as string,
  description: (item.description as string | undefined) ?? '',
  entryCount: Number(item.entryCount ?? 0),
  version: Number(item.version),
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

export const toEntry = (item: Item): PlaylistEntry => ({
  id: item.id as string,
  trackId: item.trackId as string,
  rank: item.rank as string,
  addedAt: item.addedAt as string,
});

/** The Update that adds `delta` to the playlist's `entryCount`; its condition fails if the playlist is gone. */
export function countEntries(table: string, userId: string, playlistId: string, delta: number, now: string): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: playlistKey(userId, playlistId),
      UpdateExpression: 'ADD entryCount :n SET updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':n': delta, ':now': now },
    },
  };
}

/** The Update of one rebalance rewrite, conditional on the entry still having its old rank. */
export function rewriteRank(table: string, playlistId: string, { id, from, to }: RankRewrite): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: entryKey(playlistId, id),
      UpdateExpression: 'SET #rank = :to',
      ConditionExpression: '#rank = :from',
      ExpressionAttributeNames: { '#rank': 'rank' },
      ExpressionAttributeValues: { ':to': to, ':from': from },
    },
  };
}
