import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HOME_SECTION_IDS } from '../../../shared/api';
import type { UserDataStore } from '../../domain/account-purge';
import { FOR_YOU_SIZE, SECTION_TITLES, type StoredFeed, type StoredSection } from '../../domain/home-feed';
import type { HomeRepository, WeeklyPopularity } from '../../domain/home-feed-ports';
import { batchDeleteAll, batchPutAll } from './batch';

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
const listenerKey = (userId: string) => ({ pk: `user#${userId}`, sk: 'feed' });
const ARRIVALS = 'arrivals';

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

  async publishListenerFeed(userId: string, feed: StoredFeed): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...listenerKey(userId), ...feedAttributes(feed) } }));
  }

  async removeListenerFeed(userId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: listenerKey(userId) }));
  }

  async publishPopularity(popularity: WeeklyPopularity): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...popularKey, ...popularity } }));
  }

  async arrivals(): Promise<Map<string, string>> {
    const arrivals = new Map<string, string>();
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ARRIVALS },
          ProjectionExpression: 'sk, arrivedAt',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) arrivals.set((item.sk as string).slice('track#'.length), item.arrivedAt as string);
      start = out.LastEvaluatedKey;
    } while (start);
    return arrivals;
  }

  async recordArrivals(trackIds: readonly string[], at: string): Promise<void> {
    await batchPutAll(
      this.doc,
      this.table,
      trackIds.map((id) => ({ pk: ARRIVALS, sk: `track#${id}`, arrivedAt: at })),
    );
  }

  /** The listener's feed (the only item the home table keeps per user). */
  async eraseUser(userId: string): Promise<number> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': listenerKey(userId).pk },
        ProjectionExpression: 'pk, sk',
      }),
    );
    const keys = out.Items ?? [];
    await batchDeleteAll(this.doc, this.table, keys);
    return keys.length;
  }
}
