import { z } from 'zod';
import { searchFields } from '../../domain/search';
import { checkQueryText } from '../../domain/search-text';
import { invalidInput } from '../../domain/errors';

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SUGGEST_LIMIT = 8;
export const MAX_SUGGEST_LIMIT = 20;

/** `q`: required; blank finds nothing; control characters or more than 200 characters are a 400. */
const queryText = z
  .string({ error: 'enter something to search for' })
  .max(1000, { error: 'a query has at most 200 characters' })
  .transform((raw) => checkQueryText(raw));

/** `?q=&field=&limit=&cursor=` of `GET /search`. */
export const searchQuerySchema = z.object({
  q: queryText,
  /** Which text to match: all (default), artist, track or album. */
  field: z.enum(searchFields, { error: `field must be one of ${searchFields.join(', ')}` }).default('all'),
  /** Hits per group (tracks, albums, artists), 1–50 (default 20). */
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
  /** Opaque cursor from the previous page. */
  cursor: z.string().max(64).optional(),
});

/** `?q=&limit=` of `GET /search/suggest`. */
export const suggestQuerySchema = z.object({
  q: queryText,
  limit: z.coerce.number().int().min(1).max(MAX_SUGGEST_LIMIT).default(DEFAULT_SUGGEST_LIMIT),
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
