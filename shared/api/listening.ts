import type { Track } from './catalog';

/**
 * One play as the extension reports it (`POST /me/plays`). The extension records a play once a
 * track was heard for half its length or 4 minutes, whichever comes first (the common scrobbling
 * rule), and makes `id` itself: sending the same play again never counts it twice.
 */
export interface PlayInput {
  /** Made by the client (a UUID); a known id is ignored. */
  id: string;
  trackId: string;
  /** ISO time the listener started the track. */
  startedAt: string;
  /** How long it was heard, in milliseconds (seeking forward does not count). */
  msPlayed: number;
}

/** `POST /me/plays` body: one play or a batch (at most `MAX_PLAYS_PER_REQUEST`). */
export interface PlaysRequest {
  plays: PlayInput[];
}

/** Most plays one `POST /me/plays` takes; an offline queue sends its backlog in batches of this size. */
export const MAX_PLAYS_PER_REQUEST = 50;

/** Most ids `GET /me/likes/ids` answers, newest like first; older likes are listed by `GET /me/likes`. */
export const MAX_LIKED_TRACK_IDS = 10_000;

/** A play counts once it was heard this long, or half the track if that is shorter. */
export const PLAY_THRESHOLD_MS = 4 * 60 * 1000;

/** `POST /me/plays` answer (202). */
export interface PlaysAccepted {
  /** Plays stored by this request. */
  recorded: number;
  /** Plays whose id was already stored (a resend), or that started before the history was last cleared: ignored. */
  known: number;
  /** Plays of tracks the catalog does not hold (removed since they were heard): skipped. */
  unknownTrackIds: string[];
  /**
   * Ids of plays skipped for their `startedAt`: more than 5 minutes ahead of the server's clock or
   * more than a year ago (a device clock gone wrong). Refused one by one, so the rest of a backlog
   * is stored; sending them again is refused again.
   */
  refusedPlayIds: string[];
  /** True when the listener paused their history: nothing was stored. */
  paused: boolean;
}

/** One entry of `GET /me/history`, newest first. */
export interface HistoryItem {
  id: string;
  trackId: string;
  /** The track, or null when it has left the catalog since. */
  track: Track | null;
  startedAt: string;
  msPlayed: number;
}

/** One entry of `GET /me/likes`, newest first. */
export interface LikedTrack {
  trackId: string;
  /** The track, or null when it has left the catalog since it was liked. */
  track: Track | null;
  likedAt: string;
}

/** `GET /me/settings` and the body and answer of `PATCH /me/settings`. */
export interface ListeningSettings {
  /** While true, plays are neither stored nor scrobbled. */
  historyPaused: boolean;
}
