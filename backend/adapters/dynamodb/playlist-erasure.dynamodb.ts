import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDeleteAll } from './batch';
import { queryPages } from './query-pages';
import { sendUntilProcessed } from './retry';
import { chunks } from './cursor';
import { entriesPk, SWEEP_PK, tombstoneKey, userPk, type Item } from './playlist-items';

/**
 * Deletes by partition, in batches: a deleted playlist's entries (right after the delete, or in
 * the sweep when a failure cut that short) and a deleted account's playlists. Only Query and
 * BatchWriteItem, which is all the account purge is granted.
 */
export class PlaylistEraser {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Deletes a deleted playlist's entries, then its tombstone; returns the items removed. */
  async finishDelete(playlistId: string): Promise<number> {
    const entries = await this.deleteEntries(playlistId);
    await batchDeleteAll(this.doc, this.table, [tombstoneKey(playlistId)]);
    return entries + 1;
  }

  /**
   * The sweep (run by the scheduled purge): finishes every playlist delete a failure cut short.
   * Safe beside a delete still running: both only delete what the other would.
   */
  async finishDeletes(): Promise<number> {
    let removed = 0;
    for await (const tombstones of this.keyPages(SWEEP_PK)) {
      for (const { sk } of tombstones) removed += await this.finishDelete(String(sk).slice('playlist#'.length));
    }
    return removed;
  }

  /**
   * Erases everything in the user's partition, each playlist with its entries (the account
   * purge). Page by page: tombstones for the page's playlists first, then the page's items, then
   * each playlist's entries and tombstone. Deleting the entries before their playlist would race
   * an add in flight (its transaction needs the playlist and could land in between, leaving
   * entries nothing finds); once the playlist is gone no add can land, and until its entries are
   * gone its tombstone lists it for the sweep, however the run is cut short.
   */
  async eraseUser(userId: string): Promise<number> {
    let erased = 0;
    for await (const items of this.keyPages(userPk(userId))) {
      const playlistIds = items.flatMap(({ sk }) =>
        typeof sk === 'string' && sk.startsWith('playlist#') ? [sk.slice('playlist#'.length)] : [],
      );
      await this.putTombstones(playlistIds);
      await batchDeleteAll(this.doc, this.table, items);
      erased += items.length;
      for (const id of playlistIds) erased += await this.deleteEntries(id);
      await batchDeleteAll(this.doc, this.table, playlistIds.map(tombstoneKey));
    }
    return erased;
  }

  /** Tombstones for playlists about to be deleted, with BatchWriteItem (all the purge is granted). */
  private async putTombstones(playlistIds: readonly string[]): Promise<void> {
    const deletedAt = new Date().toISOString();
    type Put = { PutRequest: { Item: Item } };
    const puts: Put[] = playlistIds.map((id) => ({ PutRequest: { Item: { ...tombstoneKey(id), deletedAt } } }));
    for (const part of chunks(puts, 25)) {
      await sendUntilProcessed(part, async (pending) => {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        return (out.UnprocessedItems?.[this.table] as Put[] | undefined) ?? [];
      });
    }
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
  private keyPages(pk: string): AsyncGenerator<Item[]> {
    return queryPages(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'pk, sk',
    });
  }
}
