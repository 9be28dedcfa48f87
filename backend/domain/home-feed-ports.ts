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
  publishListenerFeed(userId: string, feed: StoredFeed): Promise<void>;
  /** The listener has nothing to build a feed from (history cleared): they get the global one again. */
  removeListenerFeed(userId: string): Promise<void>;
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

/** What the schedule and `GET /home` read of the listening table (written by the listening API). */
export interface ListeningActivityReader {
  /** The listeners marked changed, a page at a time. */
  changedListeners(pageSize?: number): AsyncIterable<ChangedListener[]>;
  /**
   * Clears the marker if it still holds `changedAt`; false when a play or like since moved it, so
   * the listener stays marked for the next run.
   */
  clearChanged(listener: ChangedListener): Promise<boolean>;
  /** Counts, likes and the plays since `since`. */
  activity(userId: string, since: Date): Promise<ListenerActivity>;
  /** The listener's latest plays, newest first. */
  latestPlays(userId: string, limit: number): Promise<{ trackId: string; startedAt: string }[]>;
  /** Plays of all listeners on one UTC day (`YYYY-MM-DD`), per track. */
  dayPlays(day: string, now: Date): Promise<{ trackId: string; plays: number }[]>;
}
