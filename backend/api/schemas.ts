import { z } from 'zod';
import { idSchema } from '../domain/playlists';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?cursor=&limit=` of every paged listing. */
export const pageQuerySchema = z.object({
  /** Opaque cursor from the previous page. */
  cursor: z.string().max(2048).optional(),
  /** Page size, 1–200 (default 50). */
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** A single id in the path. */
export const idParamSchema = z.object({ id: idSchema });

export const MAX_TRACK_IDS = 100;

/** `?ids=a,b,c` of `GET /tracks` (at most 100 ids). */
export const trackIdsSchema = z
  .string()
  .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
  .pipe(z.array(idSchema).min(1, { error: 'list at least one id' }).max(MAX_TRACK_IDS, { error: `at most ${MAX_TRACK_IDS} ids` }));
