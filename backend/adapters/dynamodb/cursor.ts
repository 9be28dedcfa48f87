import type { $ZodType } from 'zod/v4/core';
import * as z from 'zod/mini';
import '../../domain/zod-messages';
import { decodeCursor, encodeCursor } from '../../domain/cursor';
import { ID_PATTERN } from '../../domain/ids';

type Key = Record<string, unknown>;

/** Turns DynamoDB's LastEvaluatedKey into the opaque cursor of the next page. */
export const cursorOf = (lastEvaluatedKey: Key | undefined): string | undefined =>
  lastEvaluatedKey ? encodeCursor(lastEvaluatedKey) : undefined;

/**
 * Reads a client's cursor back into an ExclusiveStartKey of exactly `shape` (a strict object
 * whose partition key is a literal: the partition being queried). DynamoDB answers a start key
 * it dislikes (empty, oversized, outside the query's range) with a raw ValidationException, and
 * a start key in another partition would page through someone else's items, so both stop here.
 */
export const startKeyOf = <S extends $ZodType>(cursor: string | undefined, shape: S): z.output<S> | undefined =>
  cursor ? decodeCursor(cursor, shape) : undefined;

/** A key attribute of the form `<prefix><id>`, with ids as the API accepts them. */
export const prefixedId = (prefix: string) =>
  z.string().check(z.refine((value) => value.startsWith(prefix) && ID_PATTERN.test(value.slice(prefix.length))));

/** Any non-empty string key within DynamoDB's 1024-byte limit for sort keys. */
export const sortKeyText = z.string().check(
  z.minLength(1),
  z.refine((value) => Buffer.byteLength(value, 'utf8') <= 1024),
);

/** Splits `items` into chunks of at most `size` (DynamoDB batch limits). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
