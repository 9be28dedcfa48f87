import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Revocations } from '../../auth/revocations';
import type { PurgeQueue, PurgeRequest } from '../../domain/account-purge';
import type { RevocationLookup, RevocationState } from '../../domain/revocations';
import { sendUntilProcessed } from './retry';
import { createDynamoClient } from './low-level-client';

/*
 * The item shapes are described with `revocationsTable` (tables.ts). The clients are the
 * low-level ones: the API functions read this table on every request, and the document client
 * would add its import time to every cold start for four attributes.
 */
type Key = Record<string, AttributeValue>;
const USER_PREFIX = 'user#';
const PURGE_PK = 'purge';
const sessionKey = (sessionId: string): Key => ({ pk: { S: `session#${sessionId}` }, sk: { S: 'ended' } });
const userKey = (userId: string): Key => ({ pk: { S: `${USER_PREFIX}${userId}` }, sk: { S: 'revoked' } });
const purgeKey = (userId: string): Key => ({ pk: { S: PURGE_PK }, sk: { S: `${USER_PREFIX}${userId}` } });
const num = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The partitions `DynamoPurgeQueue` reads and deletes in, as IAM patterns: the purge function's
 * grant is limited to them, so it can't touch an ended session.
 */
export const PURGE_QUEUE_PARTITIONS = [PURGE_PK, `${USER_PREFIX}*`] as const;

/**
 * How long past the access-token lifetime a revocation is kept: room for clocks that disagree
 * and for requests already past the check when it was written.
 */
export const REVOCATION_MARGIN_SECONDS = 60;

export interface RevocationTableOptions {
  /** Lifetime of the access tokens the revocations refuse (ACCESS_TOKEN_TTL_SECONDS). */
  tokenLifetimeSeconds: number;
  /** Milliseconds since the epoch; replaceable in tests. */
  now?: () => number;
}

/**
 * The auth server's side: writes revocations with single PutItems (the instance role may do
 * nothing else on the table). Each write replaces its item, so repeating one is harmless.
 */
export class DynamoRevocations implements Revocations {
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly options: RevocationTableOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async sessionsEnded(_userId: string, sessionIds: string[]): Promise<void> {
    // The user id stays out of these items: nothing in them outlives the account.
    const expiresAt = this.expiresAt();
    await Promise.all(sessionIds.map((sessionId) => this.put({ ...sessionKey(sessionId), expiresAt: num(expiresAt) })));
  }

  async userRevoked(userId: string, reason: 'disabled' | 'deleted'): Promise<void> {
    const revokedBefore = this.seconds();
    const expiresAt = this.expiresAt();
    await this.put({ ...userKey(userId), revokedBefore: num(revokedBefore), reason: { S: reason }, expiresAt: num(expiresAt) });
    // Only after the revocation: a purge request must never stand for an account whose tokens still work.
    if (reason === 'deleted') {
      await this.put({ ...purgeKey(userId), userId: { S: userId }, deletedAt: num(revokedBefore), settlesAt: num(expiresAt) });
    }
  }

  private seconds() {
    return Math.floor(this.now() / 1000);
  }

  /** Every token a revocation written now refuses has expired by then. */
  private expiresAt() {
    return this.seconds() + this.options.tokenLifetimeSeconds + REVOCATION_MARGIN_SECONDS;
  }

  private async put(item: Key) {
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }
}

/** The API's side: the user's and the session's item in one BatchGetItem. */
export class DynamoRevocationLookup implements RevocationLookup {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async lookup(userId: string, sessionId?: string): Promise<RevocationState> {
    const found: Key[] = [];
    await sendUntilProcessed([userKey(userId), ...(sessionId ? [sessionKey(sessionId)] : [])], async (pending) => {
      const out = await this.client.send(
        new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: pending, ProjectionExpression: 'pk, revokedBefore' } } }),
      );
      found.push(...(out.Responses?.[this.table] ?? []));
      return out.UnprocessedKeys?.[this.table]?.Keys ?? [];
    });
    const user = found.find((item) => item.pk?.S === userKey(userId).pk!.S);
    const revokedBefore = user?.revokedBefore?.N;
    return {
      userRevokedBefore: revokedBefore === undefined ? undefined : Number(revokedBefore),
      sessionEnded: found.some((item) => item.pk?.S?.startsWith('session#')),
    };
  }
}

/**
 * The purge's side: lists the requests with a Query on their partition and clears finished ones
 * with single DeleteItems, which its grant limits to `PURGE_QUEUE_PARTITIONS`.
 */
export class DynamoPurgeQueue implements PurgeQueue {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async pending(): Promise<PurgeRequest[]> {
    const requests: PurgeRequest[] = [];
    let start: Key | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: PURGE_PK } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        requests.push({ userId: item.userId!.S!, deletedAt: Number(item.deletedAt!.N), settlesAt: Number(item.settlesAt!.N) });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return requests.sort((a, b) => a.deletedAt - b.deletedAt);
  }

  async complete(request: PurgeRequest): Promise<void> {
    // The revocation goes too: every token it refused has expired (settlesAt is its expiry). The
    // request last, so a failure in between leaves it for the next run to finish.
    for (const key of [userKey(request.userId), purgeKey(request.userId)]) {
      await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: key }));
    }
  }
}

/** Where the auth server (or an admin command) writes revocations: REVOCATIONS_TABLE and its region. */
export interface RevocationsTarget {
  table: string;
  region: string;
  /** A local stand-in such as DynamoDB Local; absent in the cloud. */
  endpoint?: string;
  tokenLifetimeSeconds: number;
}

/** The auth side's writer on its own low-level client; build it once per process. */
export function createDynamoRevocations(target: RevocationsTarget): DynamoRevocations {
  const client = createDynamoClient({ region: target.region, endpoint: target.endpoint });
  return new DynamoRevocations(client, target.table, { tokenLifetimeSeconds: target.tokenLifetimeSeconds });
}
