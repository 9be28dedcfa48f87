import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import * as z from 'zod/mini';
import '../../domain/zod-messages';
import type { UserDataStore } from '../../domain/account-purge';
import type { Page, PageRequest } from '../../domain/catalog';
import {
  dayCountExpiresAt,
  dayOf,
  DEFAULT_SETTINGS,
  type Like,
  type ListeningRepository,
  type ListeningSettings,
  type Play,
  type RecordedPlays,
  type StoredSettings,
} from '../../domain/listening';
import { batchDeleteAll } from './batch';
import { cursorOf, prefixedId, startKeyOf } from './cursor';
import { changedKey, dayPk, userPk } from './listening-keys';
import { TransactionConditionFailed, transactWrite, type TransactItem } from './transactions';

/*
 * Item shapes of the listening table (tables.ts; private to this adapter and the home feed's reader):
 * - play:     pk `user#<sub>`, sk `play#<playId>`, trackId, startedAt, msPlayed, timeKey `play#<startedAt>#<playId>`
 * - like:     pk `user#<sub>`, sk `like#<trackId>`, likedAt, timeKey `like#<likedAt>#<trackId>`
 * - count:    pk `user#<sub>`, sk `count#<trackId>`, plays
 * - settings: pk `user#<sub>`, sk `settings`, historyPaused, historyClearedAt
 * - changed:  pk `changed`, sk `user#<sub>`, changedAt
 * - day:      pk `day#<YYYY-MM-DD>`, sk `track#<trackId>`, plays, expiresAt
 */
type Item = Record<string, unknown>;
const settingsKey = (userId: string) => ({ pk: userPk(userId), sk: 'settings' });
const likeKey = (userId: string, trackId: string) => ({ pk: userPk(userId), sk: `like#${trackId}` });

/**
 * Plays written at once. Plays of one track go one after another: their transactions share the
 * listener's count, and two at once would collide and back off.
 */
const PARALLEL_TRACKS = 8;

/** ISO times as `toISOString` writes them: the only kind stored, so a cursor holds nothing else. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const timeKeyOf = (prefix: 'play#' | 'like#') =>
  z.string().check(
    z.refine((value) => {
      if (!value.startsWith(prefix)) return false;
      const [time = '', id = '', ...rest] = value.slice(prefix.length).split('#');
      return !rest.length && ISO_UTC.test(time) && prefixedId('').safeParse(id).success;
    }),
  );
/** Start keys a page of the listener's plays or likes (LSI byTime) may carry. */
const byTimeStartKey = (pk: string, prefix: 'play#' | 'like#') =>
  z.strictObject({ pk: z.literal(pk), sk: prefixedId(prefix), timeKey: timeKeyOf(prefix) });

const toPlay = (item: Item): Play => ({
  id: String(item.sk).slice('play#'.length),
  trackId: item.trackId as string,
  startedAt: item.startedAt as string,
  msPlayed: Number(item.msPlayed),
});

const toLike = (item: Item): Like => ({ trackId: String(item.sk).slice('like#'.length), likedAt: item.likedAt as string });

export class DynamoListeningRepository implements ListeningRepository, UserDataStore {
  readonly name = 'listening';

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async settings(userId: string): Promise<StoredSettings> {
    // Strongly consistent: a play sent right after pausing or clearing must see it.
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: settingsKey(userId), ConsistentRead: true }));
    if (!out.Item) return { ...DEFAULT_SETTINGS };
    const { historyPaused, historyClearedAt } = out.Item;
    return { historyPaused: historyPaused === true, ...(typeof historyClearedAt === 'string' ? { historyClearedAt } : {}) };
  }

  /** An update, not a put: the item also holds the time of the last clear. */
  async saveSettings(userId: string, settings: ListeningSettings): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: settingsKey(userId),
        UpdateExpression: 'SET historyPaused = :paused',
        ExpressionAttributeValues: { ':paused': settings.historyPaused },
      }),
    );
  }

  /**
   * One transaction per play: the play (only if its id is new) and the listener's count of the
   * track; then the day's count. A play whose condition fails was stored before: it is `known` and
   * nothing of it is written again. Once the writes are done, whatever they did, the listener is
   * marked for the home feed, when anything of theirs was stored now or before (a resend may be
   * the retry of a request whose mark was lost). The mark is one put after the plays rather than
   * one per play's transaction: those would all write the same item at once and collide.
   */
  async recordPlays(userId: string, plays: readonly Play[], now: Date): Promise<RecordedPlays> {
    const result: RecordedPlays = { recorded: 0, known: 0 };
    const byTrack = new Map<string, Play[]>();
    for (const play of plays) byTrack.set(play.trackId, [...(byTrack.get(play.trackId) ?? []), play]);
    const limit = pLimit(PARALLEL_TRACKS);
    const outcomes = await Promise.allSettled(
      [...byTrack.values()].map((trackPlays) =>
        limit(async () => {
          for (const play of trackPlays) result[(await this.recordPlay(userId, play)) ? 'recorded' : 'known'] += 1;
        }),
      ),
    );
    if (result.recorded || result.known) await this.markChanged(userId, now);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return result;
  }

  /**
   * Stores one play with its counts; false when its id was stored before. The day's count is
   * shared by every listener of the track that day: in the play's transaction it would make the
   * transactions of listeners playing a popular track at once collide (TransactionConflict, backoff,
   * then a 409). So it is added after the transaction, by itself; a failure or a crash between the
   * two leaves the play stored and the day's count one short, which popularity can bear.
   */
  private async recordPlay(userId: string, play: Play): Promise<boolean> {
    const pk = userPk(userId);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: {
            pk,
            sk: `play#${play.id}`,
            trackId: play.trackId,
            startedAt: play.startedAt,
            msPlayed: play.msPlayed,
            timeKey: `play#${play.startedAt}#${play.id}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: { pk, sk: `count#${play.trackId}` },
          UpdateExpression: 'ADD plays :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed[0]) return false;
      throw error;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: dayPk(dayOf(play.startedAt)), sk: `track#${play.trackId}` },
        UpdateExpression: 'ADD plays :one SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': dayCountExpiresAt(play.startedAt) },
      }),
    );
    return true;
  }

  async listPlays(userId: string, page: PageRequest): Promise<Page<Play>> {
    const { items, cursor } = await this.byTime(userId, 'play#', page);
    return { items: items.map(toPlay), cursor };
  }

  /**
   * Stores the time of the clear, deletes the listener's plays and counts, page by page, then
   * marks them for the home feed. The time comes first: a resend of a play from before it is
   * ignored from then on, so it cannot be stored again behind the deletion. (A request that read
   * the settings just before may still store its plays: a window of one request.) The days'
   * counts stay: they hold no listener, and expire within `DAY_COUNT_DAYS`.
   */
  async clearHistory(userId: string, now: Date): Promise<number> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: settingsKey(userId),
        UpdateExpression: 'SET historyClearedAt = :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
    let removed = 0;
    for (const prefix of ['play#', 'count#']) {
      for await (const keys of this.keyPages(userPk(userId), prefix)) {
        await batchDeleteAll(this.doc, this.table, keys);
        removed += keys.length;
      }
    }
    await this.markChanged(userId, now);
    return removed;
  }

  /** The like and the mark in one transaction; an existing like fails its condition and nothing is written. */
  async like(userId: string, trackId: string, now: Date): Promise<boolean> {
    const likedAt = now.toISOString();
    return this.changeLike(
      userId,
      {
        Put: {
          TableName: this.table,
          Item: { ...likeKey(userId, trackId), likedAt, timeKey: `like#${likedAt}#${trackId}` },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      now,
    );
  }

  unlike(userId: string, trackId: string, now: Date): Promise<boolean> {
    return this.changeLike(
      userId,
      { Delete: { TableName: this.table, Key: likeKey(userId, trackId), ConditionExpression: 'attribute_exists(pk)' } },
      now,
    );
  }

  private async changeLike(userId: string, change: TransactItem, now: Date): Promise<boolean> {
    try {
      await transactWrite(this.doc, [
        change,
        { Put: { TableName: this.table, Item: { ...changedKey(userId), changedAt: now.toISOString() } } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed[0]) return false;
      throw error;
    }
  }

  async listLikes(userId: string, page: PageRequest): Promise<Page<Like>> {
    const { items, cursor } = await this.byTime(userId, 'like#', page);
    return { items: items.map(toLike), cursor };
  }

  async likedTrackIds(userId: string, max: number): Promise<string[]> {
    const ids: string[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byTime',
          KeyConditionExpression: 'pk = :pk AND begins_with(timeKey, :prefix)',
          ExpressionAttributeValues: { ':pk': userPk(userId), ':prefix': 'like#' },
          ProjectionExpression: 'sk',
          ScanIndexForward: false,
          Limit: max - ids.length,
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...(out.Items ?? []).map((item) => String(item.sk).slice('like#'.length)));
      start = out.LastEvaluatedKey;
    } while (start && ids.length < max);
    return ids;
  }

  /**
   * Erases the listener's partition (plays, likes, counts, settings) and their mark (the account
   * purge). Only Query and BatchWriteItem, which is all the purge is granted.
   */
  async eraseUser(userId: string): Promise<number> {
    let erased = 0;
    for await (const keys of this.keyPages(userPk(userId))) {
      await batchDeleteAll(this.doc, this.table, keys);
      erased += keys.length;
    }
    const mark = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': changedKey(userId).pk, ':sk': changedKey(userId).sk },
        ProjectionExpression: 'pk, sk',
      }),
    );
    if (mark.Items?.length) {
      await batchDeleteAll(this.doc, this.table, mark.Items);
      erased += mark.Items.length;
    }
    return erased;
  }

  /** Marks the listener for the home feed's schedule, which rebuilds their feed and deletes the mark. */
  private async markChanged(userId: string, now: Date): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...changedKey(userId), changedAt: now.toISOString() } }));
  }

  /** A page of the listener's plays or likes, newest first (LSI byTime). */
  private async byTime(userId: string, prefix: 'play#' | 'like#', page: PageRequest): Promise<{ items: Item[]; cursor?: string }> {
    const pk = userPk(userId);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byTime',
        KeyConditionExpression: 'pk = :pk AND begins_with(timeKey, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: startKeyOf(page.cursor, byTimeStartKey(pk, prefix)),
      }),
    );
    return { items: out.Items ?? [], cursor: cursorOf(out.LastEvaluatedKey) };
  }

  /** The keys of the partition's items (whose sort key starts with `prefix`), a page at a time. */
  private async *keyPages(pk: string, prefix?: string): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      if (out.Items?.length) yield out.Items;
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
