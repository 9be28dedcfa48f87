import type { ListenerActivity, StoredFeed } from './home-feed';

/** Plays of all listeners over the last week, most played first (the `popular` item). */
export interface WeeklyPopularity {
  generatedAt: string;
  /** At most 2,000, most plays first. */
  trackIds: string[];
  /** Plays of each track in `trackIds`, aligned with it. */
  plays: number[];
}

/** Where the home feeds live: the global one, each listener's own, and what the schedule keeps to build them. */
export interface HomeRepository {
  /** The global feed (what a listener without their own feed gets). */
  current(): Promise<StoredFeed | undefined>;
  /** Replaces the global feed in one write. */
  publish(feed: StoredFeed): Promise<void>;
  listenerFeed(userId: string): Promise<StoredFeed | undefined>;
  publishPopularity(popularity: WeeklyPopularity): Promise<void>;
  /** When each track was first seen in the catalog by the schedule (ISO), by track id. */
  arrivals(): Promise<Map<string, string>>;
  /** Records tracks first seen now. */
  recordArrivals(trackIds: readonly string[], at: string): Promise<void>;
}

/** A listener whose feed is to be rebuilt, as the marker in the listening table says. */
export interface ChangedListener {
  userId: string;
  /** The marker's time; the marker is cleared only while it still holds this one. */
  changedAt: string;
}

/**
 * Where the schedule writes a listener's rebuilt feed. Each write clears the listener's marker in
 * the same step, and happens only while the marker still holds the time the run read: when it
 * moved (a play or like since, so the listener stays marked) or is gone (a newer run got there
 * first, or the account was erased), the run's view is out of date and nothing is written. So an
 * older feed never lands over a newer one, and an erased account never gets a feed back.
 */
export interface ListenerFeedStore {
  /** The listener's new feed; false when superseded (nothing written). */
  publish(listener: ChangedListener, feed: StoredFeed): Promise<boolean>;
  /** The listener has nothing to build a feed from (history cleared): they get the global one again. False when superseded. */
  remove(listener: ChangedListener): Promise<boolean>;
}

/** What the schedule and `GET /home` read of the listening table (written by the listening API). */
export interface ListeningActivityReader {
  /** The listeners marked changed, a page at a time. */
  changedListeners(pageSize?: number): AsyncIterable<ChangedListener[]>;
  /** Counts, likes and the plays since `since`. */
  activity(userId: string, since: Date): Promise<ListenerActivity>;
  /** The listener's latest plays, newest first. */
  latestPlays(userId: string, limit: number): Promise<{ trackId: string; startedAt: string }[]>;
  /** Plays of all listeners on one UTC day (`YYYY-MM-DD`), per track. */
  dayPlays(day: string, now: Date): Promise<{ trackId: string; plays: number }[]>;
}
