import { browser } from 'wxt/browser';

/**
 * What the play outbox and the scrobbler share: each keeps what it has to send in
 * `storage.local`, changes it one step at a time, sends it one flush at a time, and asks an
 * alarm (which survives the service worker stopping) to come back after a failure.
 */

/** Chrome fires no alarm sooner than 30 s from now. */
export const MIN_ALARM_DELAY_MS = 30_000;

/**
 * Runs the tasks given to it one after another, each once the one before settled: two
 * read-modify-writes of the same storage keys never interleave, so none overwrites the other.
 */
export function serially(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * `task` run one at a time: a call while it runs queues a single run behind it, which later
 * calls join, so a burst of calls (a play added, an alarm, a sign-in) costs one more run.
 */
export function oneAtATime(task: () => Promise<void>) {
  let last: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;
  return {
    run(): Promise<void> {
      next ??= last.then(() => {
        next = undefined;
        return task();
      });
      last = next;
      return next;
    },
    /** Resolves once the runs started so far are over. */
    settled: (): Promise<void> => last,
  };
}

/** Sets alarm `name` for `when` (epoch ms, at least `MIN_ALARM_DELAY_MS` from now), or clears it (`undefined`). */
export function alarmAt(name: string): (when: number | undefined) => Promise<void> {
  return async (when) => {
    if (when === undefined) await browser.alarms.clear(name);
    else await browser.alarms.create(name, { when: Math.max(when, Date.now() + MIN_ALARM_DELAY_MS) });
  };
}
