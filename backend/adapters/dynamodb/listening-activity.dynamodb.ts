import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ListenerActivity } from '../../domain/home-feed';
import type { ChangedListener, ListeningActivityReader } from '../../domain/home-feed-ports';
import { CHANGED_PK, dayPk, userPk } from './listening-keys';
import { queryAll, queryPages } from './query-pages';

type Item = Record<string, unknown>;

/**
 * What the home feed reads of the listening table (the item layout is in `tables.ts`; the
 * listening API writes it). Reads of one listener are strongly consistent: the schedule clears
 * a marker with the feed it built after reading, so it must not build from a copy that lacks
 * the play that set it.
 */
export class DynamoListeningActivity implements ListeningActivityReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async *changedListeners(pageSize = 500): AsyncIterable<ChangedListener[]> {
    const pages = queryPages(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': CHANGED_PK },
      ProjectionExpression: 'sk, changedAt',
      Limit: pageSize,
    });
    for await (const items of pages) {
      yield items.map((item) => ({ userId: (item.sk as string).slice('user#'.length), changedAt: item.changedAt as string }));
    }
  }

  async activity(userId: string, since: Date): Promise<ListenerActivity> {
    const pk = userPk(userId);
    const [counts, likes, recentPlays] = await Promise.all([
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'count#' },
        ProjectionExpression: 'sk, plays',
        ConsistentRead: true,
      }),
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'like#' },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      }),
      this.queryAll({
        IndexName: 'byTime',
        // `play#<startedAt>#<playId>`: ISO times sort as text, and `$` follows `#`.
        KeyConditionExpression: 'pk = :pk AND timeKey BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': `play#${since.toISOString()}`, ':to': 'play$' },
        ProjectionExpression: 'trackId, startedAt',
        ConsistentRead: true,
      }),
    ]);
    return {
      counts: counts.map((item) => ({ trackId: (item.sk as string).slice('count#'.length), plays: Number(item.plays ?? 0) })),
      likes: likes.map((item) => (item.sk as string).slice('like#'.length)),
      recentPlays: recentPlays.map((item) => ({ trackId: item.trackId as string, startedAt: item.startedAt as string })),
    };
  }

  async latestPlays(userId: string, limit: number): Promise<{ trackId: string; startedAt: string }[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byTime',
        KeyConditionExpression: 'pk = :pk AND begins_with(timeKey, :prefix)',
        ExpressionAttributeValues: { ':pk': userPk(userId), ':prefix': 'play#' },
        ProjectionExpression: 'trackId, startedAt',
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((item) => ({ trackId: item.trackId as string, startedAt: item.startedAt as string }));
  }

  async dayPlays(day: string, now: Date): Promise<{ trackId: string; plays: number }[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': dayPk(day) },
      ProjectionExpression: 'sk, plays, expiresAt',
    });
    const nowSeconds = now.getTime() / 1000;
    // TTL deletes late; an expired counter is absent already.
    return items
      .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > nowSeconds)
      .map((item) => ({ trackId: (item.sk as string).slice('track#'.length), plays: Number(item.plays ?? 0) }));
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    return queryAll(this.doc, { ...input, TableName: this.table });
  }
}
