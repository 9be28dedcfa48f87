import { invalidInput } from '../../domain/errors';

type Key = Record<string, unknown>;

/** Turns DynamoDB's LastEvaluatedKey into an opaque, URL-safe cursor. */
export function encodeCursor(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * Reads a cursor back into an ExclusiveStartKey. Only flat string keys are accepted, and the
 * partition key must match the one being queried, so a cursor cannot page through another
 * user's partition or make DynamoDB reject the request with a raw error.
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: { keys: readonly string[]; partition?: { name: string; value: string } },
): Key | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput('cursor is not valid', 'cursor');
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.keys(key).length === expected.keys.length &&
    expected.keys.every((name) => typeof (key as Key)[name] === 'string') &&
    (!expected.partition || (key as Key)[expected.partition.name] === expected.partition.value);
  if (!valid) throw invalidInput('cursor is not valid', 'cursor');
  return key as Key;
}

/** Splits `items` into chunks of at most `size` (DynamoDB batch limits). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Backoff before retrying a batch's unprocessed part: 50 ms, 100 ms … capped at 1.6 s. */
export const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1600, 50 * 2 ** attempt) * (0.5 + Math.random() / 2)));
