import pLimit from 'p-limit';
import { buildListenerFeed, hasActivity, HEARD_RECENTLY_MS, type FeedCatalog } from '../../domain/home-feed';
import type { ChangedListener, ListenerFeedStore, ListeningActivityReader } from '../../domain/home-feed-ports';
import { logger } from '../../lambda-runtime/logger';
import { publishShuffledFeed, type ShuffleDeps } from './publish-feed';

export interface HomeFeedJobDeps extends ShuffleDeps {
  listening: ListeningActivityReader;
  listenerFeeds: ListenerFeedStore;
}

export interface HomeFeedJobOptions {
  /** Time left before the run is cut off (a Lambda's `getRemainingTimeInMillis`); unlimited when absent. */
  remainingMs?: () => number;
  /** Below this much time left, no listener is started: the ones running finish, the rest wait for the next run. */
  reserveMs?: number;
  /** Listeners rebuilt at once. */
  concurrency?: number;
}

/** What one run did, as the shuffle function returns and logs it. */
export interface HomeFeedRun {
  /** Tracks in the catalog (the global feed's mix is drawn from them). */
  trackCount: number;
  generatedAt: string;
  /** Listeners whose own feed was rebuilt. */
  listenersRebuilt: number;
  /** Listeners with nothing left to build from (history cleared): their feed was removed. */
  listenersReset: number;
  /** Marked listeners not started for lack of time; still marked for the next run. */
  listenersLeft: number;
  /** Listeners whose rebuild failed; still marked for the next run. */
  listenersFailed: number;
  /**
   * Listeners whose feed this run did not write: their marker moved during the rebuild (a play or
   * like since: still marked for the next run) or went (a newer run wrote their feed, or the account
   * was erased).
   */
  listenersSuperseded: number;
  durationMs: number;
}

/** 16 requests in flight at a time keep DynamoDB busy without queueing in the SDK's socket pool (50). */
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_RESERVE_MS = 30_000;

/**
 * The schedule's run: publishes the global feed and the week's popularity, then rebuilds the
 * feed of each listener marked changed (and only those), a bounded number at a time. A feed is
 * written, and its marker cleared with it, only while the marker still holds the time read
 * before the rebuild (`ListenerFeedStore`): runs may overlap (the schedule, a deployment, an
 * import) and the account purge may erase a listener meanwhile. When the time left runs short,
 * it stops starting listeners and leaves the rest marked.
 */
export async function runHomeFeedJob(deps: HomeFeedJobDeps, options: HomeFeedJobOptions = {}): Promise<HomeFeedRun> {
  const started = performance.now();
  const remainingMs = options.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const reserveMs = options.reserveMs ?? DEFAULT_RESERVE_MS;
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const { catalog, ...global } = await publishShuffledFeed(deps);

  const counts = { listenersRebuilt: 0, listenersReset: 0, listenersLeft: 0, listenersFailed: 0, listenersSuperseded: 0 };
  let outOfTime = false;
  const rebuildOne = async (listener: ChangedListener) => {
    if (outOfTime || remainingMs() < reserveMs) {
      outOfTime = true;
      counts.listenersLeft++;
      return;
    }
    try {
      counts[await rebuild(deps, catalog, listener)]++;
    } catch (error) {
      counts.listenersFailed++;
      // The first few say why; a systematic failure would otherwise write thousands of lines.
      if (counts.listenersFailed <= 3) logger.error('listener feed not rebuilt; kept for the next run', { error });
    }
  };
  for await (const page of deps.listening.changedListeners()) {
    if (outOfTime) {
      counts.listenersLeft += page.length;
      continue;
    }
    await Promise.all(page.map((listener) => limit(() => rebuildOne(listener))));
  }

  const attempted = counts.listenersRebuilt + counts.listenersReset + counts.listenersFailed;
  if (counts.listenersFailed > 0 && counts.listenersFailed === attempted) {
    throw new Error(`no listener feed could be rebuilt (${counts.listenersFailed} failed)`);
  }
  return { ...global, ...counts, durationMs: Math.round(performance.now() - started) };
}

async function rebuild(
  deps: HomeFeedJobDeps,
  catalog: FeedCatalog,
  listener: ChangedListener,
): Promise<'listenersRebuilt' | 'listenersReset' | 'listenersSuperseded'> {
  const now = deps.now();
  const activity = await deps.listening.activity(listener.userId, new Date(now.getTime() - HEARD_RECENTLY_MS));
  if (!hasActivity(activity)) return (await deps.listenerFeeds.remove(listener)) ? 'listenersReset' : 'listenersSuperseded';
  const feed = buildListenerFeed(activity, catalog, { now, random: deps.random });
  return (await deps.listenerFeeds.publish(listener, feed)) ? 'listenersRebuilt' : 'listenersSuperseded';
}
