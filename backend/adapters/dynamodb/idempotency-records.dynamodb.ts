import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntriesPlan, IdempotencyClaim, IdempotencyRecord } from '../../domain/idempotency';
import type { Playlist, PlaylistEntry } from '../../domain/playlists';
import type { TransactItem } from './transactions';

/**
 * Idempotency records, kept in the playlists table beside what they guard so that a record is
 * written in the same transaction as the write it guards: pk `user#<sub>` (keys are per user,
 * and the account purge erases them with the partition), sk `idempotency#<key>`, `expiresAt`
 * (epoch seconds, the table's TTL attribute). DynamoDB deletes expired records within days; until
 * then reads and write conditions treat them as absent.
 *
 * - created playlist: `kind` `playlist`, `fingerprint`, `playlist`
 * - added entries:    `kind` `entries`, `fingerprint`, `playlistId`, `entries` (all of them, with
 *   ids, ranks and addedAt), `chunks` (sizes of the writes), `done` (writes stored so far)
 */
type Item = Record<string, unknown>;

const recordKey = (userId: string, key: string) => ({ pk: `user#${userId}`, sk: `idempotency#${key}` });

/** The Put that claims a key with the first write of a request: only if no unexpired record holds it. */
export function claimRecord(table: string, userId: string, claim: IdempotencyClaim, record: IdempotencyRecord): TransactItem {
  const outcome =
    record.kind === 'playlist'
      ? { playlist: record.playlist }
      : { playlistId: record.plan.playlistId, entries: record.plan.entries, chunks: record.plan.chunks, done: record.done };
  return {
    Put: {
      TableName: table,
      Item: { ...recordKey(userId, claim.key), kind: record.kind, fingerprint: record.fingerprint, expiresAt: claim.expiresAt, ...outcome },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': claim.now },
    },
  };
}

/**
 * The Update that records chunk `chunk` of an add as written, only if exactly the chunks before it
 * are: two retries resuming the same add can never both write one chunk.
 */
export function advanceRecord(table: string, userId: string, claim: IdempotencyClaim, chunk: number): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: recordKey(userId, claim.key),
      UpdateExpression: 'SET done = :next',
      ConditionExpression: 'done = :done AND fingerprint = :fingerprint AND expiresAt > :now',
      ExpressionAttributeValues: { ':done': chunk, ':next': chunk + 1, ':fingerprint': claim.fingerprint, ':now': claim.now },
    },
  };
}

function toRecord(item: Item): IdempotencyRecord {
  const fingerprint = item.fingerprint as string;
  if (item.kind === 'playlist') return { fingerprint, kind: 'playlist', playlist: item.playlist as Playlist };
  const plan: EntriesPlan = {
    playlistId: item.playlistId as string,
    entries: item.entries as PlaylistEntry[],
    chunks: (item.chunks as unknown[]).map(Number),
  };
  return { fingerprint, kind: 'entries', plan, done: Number(item.done) };
}

/** The record the user's key holds, unless it expired by `now` (epoch seconds). */
export async function readRecord(
  doc: DynamoDBDocumentClient,
  table: string,
  userId: string,
  key: string,
  now: number,
): Promise<IdempotencyRecord | undefined> {
  // Strongly consistent: a retry right after its original's transaction must see the record.
  const out = await doc.send(new GetCommand({ TableName: table, Key: recordKey(userId, key), ConsistentRead: true }));
  if (!out.Item || Number(out.Item.expiresAt) <= now) return undefined;
  return toRecord(out.Item);
}
