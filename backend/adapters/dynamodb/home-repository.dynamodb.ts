import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HOME_SECTION_IDS } from '../../../shared/api';
import type { UserDataStore } from '../../domain/account-purge';
import { FOR_YOU_SIZE, SECTION_TITLES, type StoredFeed, type StoredSection } from '../../domain/home-feed';
import type { ChangedListener, HomeRepository, ListenerFeedStore, WeeklyPopularity } from '../../domain/home-feed-ports';
import { batchDeleteAll, batchPutAll } from './batch';
import { changedKey } from './listening-keys';
import { queryAll, queryPages } from './query-pages';
import { TransactionConditionFailed, transactWrite, type TransactItem } from './transactions';

/**
 * Item shapes of the home table (private to this adapter). Each feed is one item, replaced by a
 * single put, so a reader sees either the old feed or the new one, never a mix.
 * - global feed:     pk `feed`, sk `current`, `generatedAt`, `sections` [{id, title, trackIds}]
 * - listener's feed: pk `user#<sub>`, sk `feed`, the same attributes
 * - popularity:      pk `popular`, sk `current`, `generatedAt`, `trackIds`, `plays` (aligned)
 * - arrival:         pk `arrivals`, sk `track#<id>`, `arrivedAt` (when the schedule first saw the track)
 */
const globalKey = { pk: 'feed', sk: 'current' } as const;
const popularKey = { pk: 'popular', sk: 'current' } as const;
const LISTENER_PREFIX = 'user#';
const listenerKey = (userId: string) => ({ pk: `${LISTENER_PREFIX}${userId}`, sk: 'feed' });
const ARRIVALS = 'arrivals';

/**
 * The home table's partitions that hold a user's data (IAM patterns): what the account purge's
 * grant on the table is limited to, so it cannot write the global feed or the popularity.
 */
export const LISTENER_PARTITIONS = [`${LISTENER_PREFIX}*`] as const;

type Item = Record<string, unknown>;
const knownSection = new Set<string>(HOME_SECTION_IDS);

/**
 * A stored feed as the domain reads it. A global feed written before sections had ids (a
 * permutation in `trackIds`, titled rows) is read as its mix: it is replaced on the next run.
 */
function toFeed(item: Item): StoredFeed {
  const sections = ((item.sections as Partial<StoredSection>[] | undefined) ?? []).filter(
    (s): s is StoredSection => typeof s.id === 'string' && knownSection.has(s.id) && Array.isArray(s.trackIds),
  );
  const legacyMix = (item.trackIds as string[] | undefined) ?? [];
  if (!sections.length && legacyMix.length) {
    sections.push({ id: 'for-you', title: SECTION_TITLES['for-you'], trackIds: legacyMix.slice(0, FOR_YOU_SIZE) });
  }
  return { generatedAt: item.generatedAt as string, sections };
}

const feedAttributes = (feed: StoredFeed) => ({ generatedAt: feed.generatedAt, sections: feed.sections });

export class DynamoHomeRepository implements HomeRepository, UserDataStore {
  readonly name = 'home feed';

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async current(): Promise<StoredFeed | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: globalKey, ConsistentRead: true }));
    return out.Item ? toFeed(out.Item) : undefined;
  }

  async publish(feed: StoredFeed): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...globalKey, ...feedAttributes(feed) } }));
  }

  async listenerFeed(userId: string): Promise<StoredFeed | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: listenerKey(userId) }));
    return out.Item ? toFeed(out.Item) : undefined;
  }

  async publishPopularity(popularity: WeeklyPopularity): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...popularKey, ...popularity } }));
  }

  async arrivals(): Promise<Map<string, string>> {
    const arrivals = new Map<string, string>();
    const pages = queryPages(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ARRIVALS },
      ProjectionExpression: 'sk, arrivedAt',
    });
    for await (const items of pages) {
      for (const item of items) arrivals.set((item.sk as string).slice('track#'.length), item.arrivedAt as string);
    }
    return arrivals;
  }

  async recordArrivals(trackIds: readonly string[], at: string): Promise<void> {
    await batchPutAll(
      this.doc,
      this.table,
      trackIds.map((id) => ({ pk: ARRIVALS, sk: `track#${id}`, arrivedAt: at })),
    );
  }

  /**
   * The listener's feed (the only item the home table keeps per user). Only a Query and
   * BatchWriteItem in the user's partition, which is all the purge is granted here. A run of the
   * schedule rebuilding the listener meanwhile writes nothing once the purge erased their listening
   * data, marker included (`DynamoListenerFeeds`): that store is erased before this one.
   */
  async eraseUser(userId: string): Promise<number> {
    const keys = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': listenerKey(userId).pk },
      ProjectionExpression: 'pk, sk',
    });
    await batchDeleteAll(this.doc, this.table, keys);
    return keys.length;
  }
}

/**
 * The schedule's writes of listeners' feeds: each one a transaction over both tables that puts
 * (or deletes) the feed and deletes the listener's `changed` marker in the listening table on the
 * condition that it still holds the time the run read, so the two happen together or not at all
 * (`ListenerFeedStore` says why).
 */
export class DynamoListenerFeeds implements ListenerFeedStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { home: string; listening: string },
  ) {}

  publish(listener: ChangedListener, feed: StoredFeed): Promise<boolean> {
    return this.settle(listener, {
      Put: { TableName: this.tables.home, Item: { ...listenerKey(listener.userId), ...feedAttributes(feed) } },
    });
  }

  remove(listener: ChangedListener): Promise<boolean> {
    return this.settle(listener, { Delete: { TableName: this.tables.home, Key: listenerKey(listener.userId) } });
  }

  private async settle({ userId, changedAt }: ChangedListener, write: TransactItem): Promise<boolean> {
    const clearMarker: TransactItem = {
      Delete: {
        TableName: this.tables.listening,
        Key: changedKey(userId),
        ConditionExpression: 'changedAt = :read',
        ExpressionAttributeValues: { ':read': changedAt },
      },
    };
    try {
      await transactWrite(this.doc, [clearMarker, write]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }
}
