import type { ListeningSettings, PlayInput } from '../../shared/api';
import type { Page, PageRequest } from './catalog';
import { invalidInput } from './errors';

// What a listener sends and reads is the API's.
export type { ListeningSettings, PlayInput } from '../../shared/api';

/** One stored play; `startedAt` is always UTC ISO (`toISOString`), so plays sort by it as text. */
export interface Play {
  id: string;
  trackId: string;
  startedAt: string;
  msPlayed: number;
}

/** One liked track. */
export interface Like {
  trackId: string;
  likedAt: string;
}

/** A listener's settings as stored: what they chose, and when they last cleared their history. */
export interface StoredSettings extends ListeningSettings {
  /**
   * The last clear (UTC ISO). A play that started before it is not stored again: the outbox
   * resends a play whose answer was lost, and that resend may come after the clear.
   */
  historyClearedAt?: string;
}

/** What a listener has not changed reads as this. */
export const DEFAULT_SETTINGS: ListeningSettings = { historyPaused: false };

/** How far ahead of the server's clock a play may start: a client clock running a little fast. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * How old a play may be: a year covers any backlog an extension kept while it could not reach
 * the API; a start before it is a client clock gone wrong (1970), not a listen to remember.
 */
export const MAX_PLAY_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Days a day's play counts are kept: "popular this week" reads the last 7 days; the 2 more leave
 * room for a backlog sent late, and for DynamoDB's TTL, which deletes expired items only within days.
 */
const DAY_COUNT_DAYS = 9;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The plays of one `POST /me/plays`, checked against `now` and stored in UTC. A start more than
 * `MAX_FUTURE_SKEW_MS` ahead or more than `MAX_PLAY_AGE_MS` ago is refused by itself, its id in
 * `refused`: one device clock gone wrong for one play must not keep a whole backlog from being
 * stored. A play whose id came earlier in the same request is a repeat (a client that queued it
 * twice) and is left out, counted in `repeats`. A start that is not a time is malformed input,
 * refused by the request schema before this: it throws.
 */
export function acceptPlays(input: readonly PlayInput[], now: Date): { plays: Play[]; refused: string[]; repeats: number } {
  const seen = new Set<string>();
  const plays: Play[] = [];
  const refused: string[] = [];
  input.forEach((play, i) => {
    const startedAt = new Date(play.startedAt);
    const at = startedAt.getTime();
    const field = `plays.${i}.startedAt`;
    if (Number.isNaN(at)) throw invalidInput(`${field}: not a time`, field);
    if (seen.has(play.id)) return;
    seen.add(play.id);
    if (at > now.getTime() + MAX_FUTURE_SKEW_MS || at < now.getTime() - MAX_PLAY_AGE_MS) refused.push(play.id);
    else plays.push({ id: play.id, trackId: play.trackId, startedAt: startedAt.toISOString(), msPlayed: play.msPlayed });
  });
  return { plays, refused, repeats: input.length - plays.length - refused.length };
}

/** The UTC day a play counts toward, `YYYY-MM-DD`. */
export const dayOf = (startedAt: string) => new Date(startedAt).toISOString().slice(0, 10);

/** When the day's counts of a play expire, in seconds since the epoch: `DAY_COUNT_DAYS` after its day began. */
export const dayCountExpiresAt = (startedAt: string) => (Date.parse(`${dayOf(startedAt)}T00:00:00.000Z`) + DAY_COUNT_DAYS * DAY_MS) / 1000;

/** What `recordPlays` did with each play it was given. */
export interface RecordedPlays {
  /** Stored now, with their counts. */
  recorded: number;
  /** Stored before (a resend): ignored. */
  known: number;
}

/**
 * Storage of what each listener played and liked. A play is stored once per id, with the
 * listener's count of the track in one atomic write, then counted in the day's count of it;
 * every change marks the listener for the home feed's schedule, after the change is stored.
 */
export interface ListeningRepository {
  settings(userId: string): Promise<StoredSettings>;
  /** Stores what the listener chose; the time of their last clear stays. */
  saveSettings(userId: string, settings: ListeningSettings): Promise<void>;
  /** Stores each play not stored yet, with its counts; a failure stops nothing already written. */
  recordPlays(userId: string, plays: readonly Play[], now: Date): Promise<RecordedPlays>;
  /** The listener's plays, newest start first. */
  listPlays(userId: string, page: PageRequest): Promise<Page<Play>>;
  /** Deletes every play and play count of the listener and stores `now` as `historyClearedAt`; returns how many items went. */
  clearHistory(userId: string, now: Date): Promise<number>;
  /** Likes the track; false (and nothing written) when it was liked already, which keeps the first `likedAt`. */
  like(userId: string, trackId: string, now: Date): Promise<boolean>;
  /** False when the track was not liked. */
  unlike(userId: string, trackId: string, now: Date): Promise<boolean>;
  /** The listener's likes, newest first. */
  listLikes(userId: string, page: PageRequest): Promise<Page<Like>>;
  /** The ids of the `max` newest likes, newest first. */
  likedTrackIds(userId: string, max: number): Promise<string[]>;
}
