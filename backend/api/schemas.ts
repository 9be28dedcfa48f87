import * as z from 'zod/mini';
import '../domain/zod-messages';
import { idSchema } from '../domain/playlists';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?cursor=&limit=` of every paged listing. */
export const pageQuerySchema = z.object({
  /** Opaque cursor from the previous page. */
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  /** Page size, 1–200 (default 50). */
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE),
});

/** A single id in the path. */
export const idParamSchema = z.object({ id: idSchema });

export const MAX_TRACK_IDS = 100;

/** `?ids=a,b,c` of `GET /tracks` (at most 100 ids). */
export const trackIdsSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean)),
  ),
  z.array(idSchema).check(z.minLength(1, { error: 'list at least one id' }), z.maxLength(MAX_TRACK_IDS, { error: `at most ${MAX_TRACK_IDS} ids` })),
);
