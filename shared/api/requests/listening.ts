import * as z from 'zod/mini';
import { MAX_PLAYS_PER_REQUEST } from '../listening';
import { idSchema } from './common';

/** The longest a play may last: a day (a track left looping overnight still counts once, with its time). */
const MAX_MS_PLAYED = 24 * 60 * 60 * 1000;

/** One play of `POST /me/plays`; how far `startedAt` may lie from now is the server's rule (backend/domain/listening.ts). */
const playInputSchema = z.object({
  /** The client's id for the play (a UUID): a repeat is ignored. */
  id: idSchema,
  trackId: idSchema,
  /** ISO 8601 with a time zone (`Z` or an offset); stored in UTC. */
  startedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with a time zone, e.g. 2026-05-01T18:30:00Z' }),
  /** Milliseconds heard, 0–86,400,000. */
  msPlayed: z.number().check(z.int(), z.minimum(0), z.maximum(MAX_MS_PLAYED, { error: 'must be at most a day (86400000 ms)' })),
});

/** `POST /me/plays`. */
export const playsRequestSchema = z.object({
  /** 1–50 plays. */
  plays: z
    .array(playInputSchema)
    .check(
      z.minLength(1, { error: 'send at least one play' }),
      z.maxLength(MAX_PLAYS_PER_REQUEST, { error: `send at most ${MAX_PLAYS_PER_REQUEST} plays per request` }),
    ),
});

/** `{trackId}` of the like routes. */
export const likeParamsSchema = z.object({ trackId: idSchema });

/** `PATCH /me/settings`. */
export const updateSettingsSchema = z.object({
  /** True pauses the history: plays sent meanwhile are not stored. */
  historyPaused: z.boolean(),
});
