import * as z from 'zod/mini';
import {
  DEFAULT_SEARCH_LIMIT,
  DEFAULT_SUGGEST_LIMIT,
  MAX_QUERY_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SUGGEST_LIMIT,
  searchFields,
} from '../search';

// C0/C1 controls, but not the ordinary whitespace a pasted query may carry.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * `q`: required; comes back trimmed with inner whitespace collapsed (blank finds nothing).
 * Control characters or more than 200 characters are a 400.
 */
const queryText = z.pipe(
  z
    .string({ error: 'enter something to search for' })
    .check(z.maxLength(1000, { error: `a query has at most ${MAX_QUERY_LENGTH} characters` })),
  z.transform((raw: string, ctx) => {
    const text = raw.replace(/\s+/g, ' ').trim();
    const problem = CONTROL.test(raw)
      ? 'remove control characters from the query'
      : text.length > MAX_QUERY_LENGTH
        ? `a query has at most ${MAX_QUERY_LENGTH} characters`
        : undefined;
    if (!problem) return text;
    ctx.issues.push({ code: 'custom', message: problem, input: raw });
    return z.NEVER;
  }),
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
  /** Completions, 1–20 (default 8). */
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_SUGGEST_LIMIT)), DEFAULT_SUGGEST_LIMIT),
});
