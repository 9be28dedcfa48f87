import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../../domain/zod-messages';
import type { Page, PageRequest } from '../../domain/catalog';
import { conflict, notFound } from '../../domain/errors';
import type { EntryPosition, Playlist, PlaylistEntry, PlaylistRepository } from '../../domain/playlists';
import type { UserDataStore } from '../../domain/account-purge';
import { isValidRank, type RankedEntry, type RankRewrite, type RankWindow } from '../../domain/rank';
import { batchDeleteAll, batchPutAll } from './batch';
import { cursorOf, prefixedId, startKeyOf } from './cursor';

/**
 * Item shapes of the playlists table (private to this adapter):
 * - playlist: pk `user#<sub>`, sk `playlist#<id>`; entryCount changes only by atomic ADD
 * - entry:    pk `playlist#<id>`, sk `entry#<entryId>`, `rank` (LSI byRank keeps them in order)
 */
type Item = Record<string, unknown>;
const userPk = (userId: string) => `user#${userId}`;
const playlistKey = (userId: string, id: string) => ({ pk: userPk(userId), sk: `playlist#${id}` });
const entriesPk = (playlistId: string) => `playlist#${playlistId}`;
const entryKey = (playlistId: string, entryId: string) => ({ pk: entriesPk(playlistId), sk: `entry#${entryId}` });

/** Start keys a page of the user's playlists, or of one playlist's entries (byRank), may carry. */
const playlistsStartKey = (pk: string) => z.strictObject({ pk: z.literal(pk), sk: prefixedId('playlist#') });
const entriesStartKey = (pk: string) =>
  z.strictObject({ pk: z.literal(pk), sk: prefixedId('entry#'), rank: z.string().check(z.maxLength(1024), z.refine(isValidRank)) });

const toPlaylist = (item: Item): Playlist => ({
  id: item.id as string,
  name: item.name as string,
  description: (item.description as string | undefined) ?? '',
  entryCount: Number(item.entryCount ?? 0),
  version: Number(item.version),
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

const toEntry = (item: Item): PlaylistEntry => ({
  id: item.id as string,
  trackId: item.trackId as string,
  rank: item.rank as string,
  addedAt: item.addedAt as string,
});

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export class DynamoPlaylistRepository implements PlaylistRepository, UserDataStore {
  readonly name = 'playlists';

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listPlaylists(userId: string, page: PageRequest): Promise<Page<Playlist>> {
    const pk = userPk(userId);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'playlist#' },
        Limit: page.limit,
        ExclusiveStartKey: startKeyOf(page.cursor, playlistsStartKey(pk)),
      }),
    );
    return { items: (out.Items ?? []).map(toPlaylist), cursor: cursorOf(out.LastEvaluatedKey) };
  }

  async getPlaylist(userId: string, playlistId: string): Promise<Playlist | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: playlistKey(userId, playlistId) }));
    return out.Item ? toPlaylist(out.Item) : undefined;
  }

  async createPlaylist(userId: string, playlist: Playlist): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...playlistKey(userId, playlist.id), ...playlist },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async updatePlaylist(userId: string, next: Playlist): Promise<Playlist> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: playlistKey(userId, next.id),
          UpdateExpression: 'SET #name = :name, description = :description, version = :next, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': next.name,
            ':description': next.description,
            ':next': next.version,
            ':expected': next.version - 1,
            ':now': next.updatedAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toPlaylist(out.Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.getPlaylist(userId, next.id);
      if (!current) throw notFound('Playlist');
      throw conflict('The playlist changed since you read it; reload and try again', { currentVersion: current.version });
    }
  }

  async deletePlaylist(userId: string, playlistId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: playlistKey(userId, playlistId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // The playlist is gone for readers already; its entries follow.
    await this.deleteEntries(playlistId);
    return true;
  }

  /**
   * Erases everything in the user's partition, each playlist with its entries (the account
   * purge). Entries go before their playlist, so a run cut short finds them again through it.
   */
  async eraseUser(userId: string): Promise<number> {
    let erased = 0;
    for await (const items of this.keyPages(userPk(userId))) {
      for (const { sk } of items) {
        if (typeof sk === 'string' && sk.startsWith('playlist#')) erased += await this.deleteEntries(sk.slice('playlist#'.length));
      }
      await batchDeleteAll(this.doc, this.table, items);
      erased += items.length;
    }
    return erased;
  }

  /** Deletes every entry of a playlist, page by page; returns how many there were. */
  private async deleteEntries(playlistId: string): Promise<number> {
    let deleted = 0;
    for await (const entries of this.keyPages(entriesPk(playlistId))) {
      await batchDeleteAll(this.doc, this.table, entries);
      deleted += entries.length;
    }
    return deleted;
  }

  /** The keys of every item in a partition, a page at a time. */
  private async *keyPages(pk: string): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      if (out.Items?.length) yield out.Items;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async listEntries(playlistId: string, page: PageRequest): Promise<Page<PlaylistEntry>> {
    const pk = entriesPk(playlistId);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byRank',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: page.limit,
        ExclusiveStartKey: startKeyOf(page.cursor, entriesStartKey(pk)),
      }),
    );
    return { items: (out.Items ?? []).map(toEntry), cursor: cursorOf(out.LastEvaluatedKey) };
  }

  async getEntry(playlistId: string, entryId: string): Promise<PlaylistEntry | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: entryKey(playlistId, entryId) }));
    return out.Item ? toEntry(out.Item) : undefined;
  }

  async neighbours(playlistId: string, position: EntryPosition, ignoreEntryId?: string) {
    if (position === 'start') return { before: null, after: await this.edgeRank(playlistId, true, ignoreEntryId) };
    if (position === 'end') return { before: await this.edgeRank(playlistId, false, ignoreEntryId), after: null };
    const anchor = await this.getEntry(playlistId, position.before);
    if (!anchor) return undefined;
    return { before: await this.edgeRank(playlistId, false, ignoreEntryId, anchor.rank), after: anchor.rank };
  }

  async addEntries(userId: string, playlistId: string, entries: PlaylistEntry[], now: string): Promise<void> {
    const items = entries.map((entry) => ({ ...entryKey(playlistId, entry.id), ...entry }));
    await batchPutAll(this.doc, this.table, items);
    try {
      await this.countEntries(userId, playlistId, entries.length, now);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The playlist was deleted while we wrote: take our entries back out.
      await batchDeleteAll(this.doc, this.table, items.map(({ pk, sk }) => ({ pk, sk })));
      throw notFound('Playlist');
    }
  }

  async moveEntry(playlistId: string, entryId: string, rank: string): Promise<PlaylistEntry | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: entryKey(playlistId, entryId),
          UpdateExpression: 'SET #rank = :rank',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#rank': 'rank' },
          ExpressionAttributeValues: { ':rank': rank },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toEntry(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async removeEntry(userId: string, playlistId: string, entryId: string, now: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: entryKey(playlistId, entryId), ConditionExpression: 'attribute_exists(pk)' }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    try {
      await this.countEntries(userId, playlistId, -1, now);
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // playlist deleted meanwhile: nothing to count
    }
    return true;
  }

  /** Adds `delta` to the playlist's `entryCount` atomically; fails the condition if the playlist is gone. */
  private async countEntries(userId: string, playlistId: string, delta: number, now: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: playlistKey(userId, playlistId),
        UpdateExpression: 'ADD entryCount :n SET updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':n': delta, ':now': now },
      }),
    );
  }

  /**
   * Up to `size` entries on each side of the gap just before rank `gapAfter` (null: the end),
   * leaving out `ignore`, with the ranks just outside them (see `planRanks`).
   */
  async rankWindow(playlistId: string, gapAfter: string | null, size: number, ignore?: string): Promise<RankWindow> {
    const side = async (forward: boolean) => {
      if (forward && gapAfter === null) return [];
      const found: RankedEntry[] = [];
      let start: Item | undefined;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byRank',
            KeyConditionExpression: gapAfter === null ? 'pk = :pk' : `pk = :pk AND #rank ${forward ? '>=' : '<'} :gap`,
            ExpressionAttributeNames: { '#rank': 'rank' },
            ExpressionAttributeValues: { ':pk': entriesPk(playlistId), ...(gapAfter === null ? {} : { ':gap': gapAfter }) },
            ScanIndexForward: forward,
            ProjectionExpression: 'id, #rank',
            ...(Number.isFinite(size) ? { Limit: size + 2 } : {}),
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) if (item.id !== ignore) found.push({ id: item.id as string, rank: item.rank as string });
        start = Number.isFinite(size) ? undefined : out.LastEvaluatedKey;
      } while (start);
      return found;
    };
    const [below, above] = await Promise.all([side(false), side(true)]);
    const before = below.slice(0, size).reverse();
    const after = above.slice(0, size);
    return { lower: below[size]?.rank ?? null, before, after, upper: above[size]?.rank ?? null };
  }

  /**
   * Applies a rebalance's rewrites in order, each conditional on the entry still having its old
   * rank. Stops at the first that fails (the entry moved or went meanwhile) and returns false;
   * the list is in order after every write, so the caller can simply plan again.
   */
  async rewriteRanks(playlistId: string, rewrites: readonly RankRewrite[]): Promise<boolean> {
    for (const { id, from, to } of rewrites) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: entryKey(playlistId, id),
            UpdateExpression: 'SET #rank = :to',
            ConditionExpression: '#rank = :from',
            ExpressionAttributeNames: { '#rank': 'rank' },
            ExpressionAttributeValues: { ':to': to, ':from': from },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    }
    return true;
  }

  /** Rank of the first (or last, or last below `below`) entry other than `ignore`; null if none. */
  private async edgeRank(playlistId: string, first: boolean, ignore?: string, below?: string): Promise<string | null> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byRank',
        KeyConditionExpression: below ? 'pk = :pk AND #rank < :below' : 'pk = :pk',
        ExpressionAttributeNames: below ? { '#rank': 'rank' } : undefined,
        ExpressionAttributeValues: { ':pk': entriesPk(playlistId), ...(below ? { ':below': below } : {}) },
        ScanIndexForward: first,
        Limit: 2,
      }),
    );
    const item = (out.Items ?? []).find((i) => i.id !== ignore);
    return (item?.rank as string | undefined) ?? null;
  }
}
