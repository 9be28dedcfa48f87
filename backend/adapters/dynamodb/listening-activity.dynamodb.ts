import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ListenerActivity } from '../../domain/home-feed';
import type { ChangedListener, ListeningActivityReader } from '../../domain/home-feed-ports';

type Item = Record<string, unknown>;

const CHANGED = 'changed';
const userPk = (userId: string) => `user#${userId}`;
const changedKey = (userId: string) => ({ pk: CHANGED, sk: userPk(userId) });

/**
 * What the home feed reads of the listening table (the item layout is in `tables.ts`; the
 * listening API writes it). Reads of one listener are strongly consistent: the schedule clears
 * a marker after reading, so it must not build from a copy that lacks the play that set it.
 */
export class DynamoListeningActivity implements ListeningActivityReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async *changedListeners(pageSize = 500): AsyncIterable<ChangedListener[]> {
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': CHANGED },
          ProjectionExpression: 'sk, changedAt',
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      const page = (out.Items ?? []).map((item) => ({
        userId: (item.sk as string).slice('user#'.length),
        changedAt: item.changedAt as string,
      }));
      if (page.length) yield page;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async clearChanged({ userId, changedAt }: ChangedListener): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: changedKey(userId),
          ConditionExpression: 'changedAt = :read',
          ExpressionAttributeValues: { ':read': changedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
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
      ExpressionAttributeValues: { ':pk': `day#${day}` },
      ProjectionExpression: 'sk, plays, expiresAt',
    });
    const nowSeconds = now.getTime() / 1000;
    // TTL deletes late; an expired counter is absent already.
    return items
      .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > nowSeconds)
      .map((item) => ({ trackId: (item.sk as string).slice('track#'.length), plays: Number(item.plays ?? 0) }));
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
