import * as z from 'zod/mini';
import { MAX_TRACK_IDS } from '../catalog';
import { idSchema } from './common';

/** `?ids=a,b,c` of `GET /tracks` (at most 100 ids). */
const trackIdsSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ),
  z
    .array(idSchema)
    .check(z.minLength(1, { error: 'list at least one id' }), z.maxLength(MAX_TRACK_IDS, { error: `at most ${MAX_TRACK_IDS} ids` })),
);

/** The query of `GET /tracks` when it names tracks. */
export const trackIdsQuerySchema = z.object({ ids: trackIdsSchema });
