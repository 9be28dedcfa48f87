import type { $ZodType } from 'zod/v4/core';
import * as z from 'zod/mini';
import './zod-messages';
import { invalidInput } from './errors';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Paging cursors are opaque to clients: base64url of a small JSON value that only the server
 * reads. A cursor comes back from the client, so it is input like any other.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Reads a cursor back, or throws the 400 every listing answers for a cursor it did not hand out.
 * `shape` says exactly what a cursor of this listing holds (for a key: its partition pinned to
 * the one being listed), so a forged or foreign cursor fails here instead of reaching storage.
 */
export function decodeCursor<S extends $ZodType>(cursor: string, shape: S): z.output<S> {
  // Buffer's decoder skips characters outside the alphabet, so check the alphabet first.
  if (BASE64URL.test(cursor)) {
    try {
      const result = z.safeParse(shape, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (result.success) return result.data;
    } catch {
      // not JSON: refused below
    }
  }
  throw invalidInput('cursor: not a cursor this listing returned', 'cursor');
}
