import type { PlayInput, Track } from '@@/shared/api';

/**
 * One play the background recorded: what `POST /me/plays` takes, plus the account it was heard
 * on (the one signed in when it started; a sign-out ends it, so it must not depend on the session
 * at its end) and the track as the player knew it when it played (a scrobble needs its title,
 * artist, album and length, and the track may have left the catalog by the time a queued play is sent).
 */
export type RecordedPlay = PlayInput & { userId: string; track: Track };

/** Where recorded plays go: the API outbox and the scrobbler each take every play. */
export interface PlaySink {
  /** Takes a play; resolves once it is safely queued (not necessarily sent). */
  add(play: RecordedPlay): Promise<void>;
}
