import * as z from 'zod/mini';
import '../../domain/zod-messages';
import { searchFields } from '../../domain/search';
import { checkQueryText } from '../../domain/search-text';
import { decodeCursor, encodeCursor } from '../../domain/cursor';

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
const searchCursor = z.strictObject({ o: z.number().check(z.int(), z.minimum(0), z.maximum(10_000)) });

export const encodeSearchCursor = (offset: number) => encodeCursor({ o: offset });

export const decodeSearchCursor = (cursor: string | undefined): number =>
  cursor === undefined ? 0 : decodeCursor(cursor, searchCursor).o;
