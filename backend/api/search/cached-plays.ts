import type { TrackPlays, TrackPlaysSource } from '../../domain/search';
import { logger } from '../../lambda-runtime/logger';

/** The schedule publishes the plays every few hours; a search reads them at most this often. */
const PLAYS_REFRESH_MS = 5 * 60 * 1000;
/** After a failed read, how long search goes on with what it had before trying again. */
const RETRY_MS = 60 * 1000;

/**
 * The weekly plays, read from `source` at most every `PLAYS_REFRESH_MS` (one read at a time).
 * Popularity only breaks ties, so a failed read never fails a search: it goes on with the plays
 * it had (or none) and tries again a minute later.
 */
export function cachedPlays(source: TrackPlaysSource, now: () => number = Date.now): () => Promise<TrackPlays | undefined> {
  let plays: TrackPlays | undefined;
  let freshUntil = -Infinity;
  let reading: Promise<TrackPlays | undefined> | undefined;
  return () => {
    if (now() < freshUntil) return Promise.resolve(plays);
    reading ??= source
      .current()
      .then(
        (read) => {
          plays = read;
          freshUntil = now() + PLAYS_REFRESH_MS;
          return plays;
        },
        (error: unknown) => {
          logger.warn('weekly plays unavailable; search ranks without them for now', { error });
          freshUntil = now() + RETRY_MS;
          return plays;
        },
      )
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}
