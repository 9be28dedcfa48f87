import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/catalog';
import { conflict, notFound } from '../../domain/errors';
import { IdempotencyKeyTaken, type IdempotencyClaim, type IdempotencyRecord } from '../../domain/idempotency';
import type { AddEntriesGuard, EntryPosition, MoveOutcome, Playlist, PlaylistEntry, PlaylistRepository } from '../../domain/playlists';
import type { UserDataStore } from '../../domain/account-purge';
import type { RankRewrite, RankWindow } from '../../domain/rank';
import { logger } from '../../lambda-runtime/logger';
import { cursorOf, startKeyOf } from './cursor';
import { DynamoEntryOrder } from './entry-order.dynamodb';
import { advanceRecord, claimRecord, readRecord } from './idempotency-records.dynamodb';
import { PlaylistEraser } from './playlist-erasure.dynamodb';
import {
  countEntries,
  entriesPk,
  entriesStartKey,
  entryKey,
  playlistKey,
  playlistsStartKey,
  tombstoneKey,
  toEntry,
  toPlaylist,
  userPk,
} from './playlist-items';
import { MAX_TRANSACTION_ACTIONS, TransactionConditionFailed, transactWrite, type TransactItem } from './transactions';

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
const conditionFailed = (error: unknown, index: number) => error instanceof TransactionConditionFailed && error.failed[index] === true;

/**
 * Entries stored by one transaction, with the playlist's count and the request's idempotency
 * record (DynamoDB takes 100 actions per transaction). A larger add is written in several, each
 * with its own count delta.
 */
const ENTRIES_PER_WRITE = MAX_TRANSACTION_ACTIONS - 2;

export class DynamoPlaylistRepository implements PlaylistRepository, UserDataStore {
  readonly name = 'playlists';
  readonly entriesPerWrite = ENTRIES_PER_WRITE;

  private readonly eraser: PlaylistEraser;
  private readonly order: DynamoEntryOrder;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.eraser = new PlaylistEraser(doc, table);
    this.order = new DynamoEntryOrder(doc, table);
  }

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

  async createPlaylist(userId: string, playlist: Playlist, claim?: IdempotencyClaim): Promise<void> {
    const put = {
      TableName: this.table,
      Item: { ...playlistKey(userId, playlist.id), ...playlist },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (!claim) {
      await this.doc.send(new PutCommand(put));
      return;
    }
    try {
      await transactWrite(this.doc, [
        { Put: put },
        claimRecord(this.table, userId, claim, { kind: 'playlist', fingerprint: claim.fingerprint, playlist }),
      ]);
    } catch (error) {
      if (conditionFailed(error, 1)) throw new IdempotencyKeyTaken();
      throw error;
    }
  }

  findIdempotencyRecord(userId: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    return readRecord(this.doc, this.table, userId, key, now);
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

  /**
   * A playlist of 10,000 entries does not fit one transaction. So the playlist goes, and a
   * tombstone comes, in one; every entry route reads the playlist first, so its entries are gone
   * for readers at that moment, and no add can count into it any more. Then the entries are
   * deleted, then the tombstone. Whatever a failure leaves after the first step, the tombstone
   * lists for the sweep (`finishDeletes`): the delete itself has happened.
   */
  async deletePlaylist(userId: string, playlistId: string): Promise<boolean> {
    try {
      await transactWrite(this.doc, [
        { Delete: { TableName: this.table, Key: playlistKey(userId, playlistId), ConditionExpression: 'attribute_exists(pk)' } },
        { Put: { TableName: this.table, Item: { ...tombstoneKey(playlistId), deletedAt: new Date().toISOString() } } },
      ]);
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
    try {
      await this.eraser.finishDelete(playlistId);
    } catch (error) {
      logger.warn('entries of a deleted playlist left for the sweep', { playlistId, error });
    }
    return true;
  }

  /** The sweep (run by the scheduled purge): finishes every playlist delete a failure cut short. */
  finishDeletes(): Promise<number> {
    return this.eraser.finishDeletes();
  }

  /**
   * Erases everything in the user's partition, each playlist with its entries, and the user's
   * idempotency records (the account purge).
   */
  eraseUser(userId: string): Promise<number> {
    return this.eraser.eraseUser(userId);
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

  /**
   * The entries, the count and (with `guard`) the idempotency record in one transaction. The
   * count's condition makes an add racing a playlist delete write nothing; each entry's makes a
   * replayed chunk fail rather than store an entry twice.
   */
  async addEntries(userId: string, playlistId: string, entries: PlaylistEntry[], now: string, guard?: AddEntriesGuard): Promise<void> {
    const items: TransactItem[] = entries.map((entry) => ({
      Put: {
        TableName: this.table,
        Item: { ...entryKey(playlistId, entry.id), ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const countAt = items.push(countEntries(this.table, userId, playlistId, entries.length, now)) - 1;
    if (guard) {
      const { claim, plan, chunk } = guard;
      items.push(
        chunk === 0
          ? claimRecord(this.table, userId, claim, { kind: 'entries', fingerprint: claim.fingerprint, plan, done: 1 })
          : advanceRecord(this.table, userId, claim, chunk),
      );
    }
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (conditionFailed(error, countAt)) throw notFound('Playlist');
      if (guard && conditionFailed(error, countAt + 1)) throw new IdempotencyKeyTaken();
      // Entry ids come from the key's stored plan: one that exists already means another
      // request with the key stored this very chunk, whichever condition DynamoDB reported.
      if (guard && error instanceof TransactionConditionFailed && error.failed.slice(0, countAt).some(Boolean))
        throw new IdempotencyKeyTaken();
      throw error;
    }
  }

  async removeEntry(userId: string, playlistId: string, entryId: string, now: string): Promise<boolean> {
    try {
      await transactWrite(this.doc, [
        { Delete: { TableName: this.table, Key: entryKey(playlistId, entryId), ConditionExpression: 'attribute_exists(pk)' } },
        countEntries(this.table, userId, playlistId, -1, now),
      ]);
      return true;
    } catch (error) {
      // The playlist first: a delete may have left its entries for the sweep.
      if (conditionFailed(error, 1)) throw notFound('Playlist');
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
  }

  // Where entries sit: the rank queries and rank writes (entry-order.dynamodb.ts).

  neighbours(playlistId: string, position: EntryPosition, ignoreEntryId?: string) {
    return this.order.neighbours(playlistId, position, ignoreEntryId);
  }

  moveEntry(playlistId: string, entryId: string, rank: string, rewrites: readonly RankRewrite[]): Promise<MoveOutcome> {
    return this.order.moveEntry(playlistId, entryId, rank, rewrites);
  }

  rankWindow(playlistId: string, gapAfter: string | null, size: number): Promise<RankWindow> {
    return this.order.rankWindow(playlistId, gapAfter, size);
  }

  rewriteRanks(playlistId: string, rewrites: readonly RankRewrite[]): Promise<boolean> {
    return this.order.rewriteRanks(playlistId, rewrites);
  }
}
