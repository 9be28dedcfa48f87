import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../catalog';
import { ID_PATTERN } from '../ids';

/** An id in a path or body, trimmed. */
export const idSchema = z.string().check(z.trim(), z.regex(ID_PATTERN, { error: 'must be an id (letters, digits, _ or -)' }));

/** A single id in the path. */
export const idParamSchema = z.object({ id: idSchema });

/** `?cursor=&limit=` of every paged listing. */
export const pageQuerySchema = z.object({
  /** Opaque cursor from the previous page. */
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  /** Page size, 1–200 (default 50). */
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE),
});
