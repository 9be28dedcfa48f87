import * as z from 'zod/mini';
import '../../domain/zod-messages';
import { searchFields } from '../../domain/search';
import { checkQueryText } from '../../domain/search-text';
import { invalidInput } from '../../domain/errors';

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SUGGEST_LIMIT = 8;
export const MAX_SUGGEST_LIMIT = 20;

/** `q`: required; blank finds nothing; control characters or more than 200 characters are a 400. */
const queryText = z.pipe(
  z.string({ error: 'enter something to search for' }).check(z.maxLength(1000, { error: 'a query has at most 200 characters' })),
  z.transform((raw: string) => checkQueryText(raw)),
);

/** `?q=&field=&limit=&cursor=` of `GET /search`. */
export const searchQuerySchema = z.object({
  q: queryText,
  /** Which text to match: all (default), artist, track or album. */
  field: z._default(z.enum(searchFields, { error: `field must be one of ${searchFields.join(', ')}` }), 'all'),
  /** Hits per group (tracks, albums, artists), 1–50 (default 20). */
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_SEARCH_LIMIT)), DEFAULT_SEARCH_LIMIT),
  /** Opaque cursor from the previous page. */
  cursor: z.optional(z.string().check(z.maxLength(64))),
});

/** `?q=&limit=` of `GET /search/suggest`. */
export const suggestQuerySchema = z.object({
  q: queryText,
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_SUGGEST_LIMIT)), DEFAULT_SUGGEST_LIMIT),
});

/** Search pages are offsets; the cursor hides that so it can change without breaking clients. */
export const encodeSearchCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

export function decodeSearchCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (Number.isInteger(o) && (o as number) >= 0 && (o as number) <= 10_000) return o as number;
  } catch {
    // fall through to the 400 below
  }
  throw invalidInput('cursor: not a cursor this API returned', 'cursor');
}
