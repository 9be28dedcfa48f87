import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sendUntilProcessed } from './retry';
import { chunks } from './cursor';

type Key = Record<string, unknown>;

/**
 * BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. Order is not kept.
 * `consistent` reads strongly consistently (twice the read capacity), for a read-then-write.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  { consistent = false }: { consistent?: boolean } = {},
): Promise<Key[]> {
  const pages = await Promise.all(
    chunks(keys, 100).map(async (chunk) => {
      const found: Key[] = [];
      await sendUntilProcessed(
        chunk,
        async (pending) => {
          const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }));
          found.push(...(out.Responses?.[table] ?? []));
          return (out.UnprocessedKeys?.[table]?.Keys as Key[] | undefined) ?? [];
        },
        'The catalog is busy, try again shortly',
      );
      return found;
    }),
  );
  return pages.flat();
}

type WriteRequest = { DeleteRequest: { Key: Key } } | { PutRequest: { Item: Key } };

/** BatchWriteItem deletes in chunks of 25, retrying unprocessed requests with backoff. */
export const batchDeleteAll = (doc: DynamoDBDocumentClient, table: string, keys: readonly Key[]) =>
  batchWriteAll(
    doc,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );

/** BatchWriteItem puts in chunks of 25, retrying unprocessed requests with backoff. */
export const batchPutAll = (doc: DynamoDBDocumentClient, table: string, items: readonly Key[]) =>
  batchWriteAll(
    doc,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

async function batchWriteAll(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  for (const chunk of chunks(requests, 25)) {
    await sendUntilProcessed(chunk, async (pending) => {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      return (out.UnprocessedItems?.[table] as WriteRequest[] | undefined) ?? [];
    });
  }
}
