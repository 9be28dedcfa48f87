export interface GroupCommitOptions {
  /** Most items per call of `run`. */
  size: number;
  /** How long an idle group waits for more items before running what it has. */
  lingerMs: number;
  /** Items that may wait for a call before `room()` holds producers back. */
  maxWaiting: number;
}

/**
 * Collects items and hands them to `run` in groups, one call at a time (group commit): an idle
 * group runs what is waiting after `lingerMs`; while a call is in progress, new items gather,
 * and the next call takes up to `size` of them. Groups thus grow with the load and add no
 * latency when there is none.
 *
 * `run` returns one result per item, in order. `add` resolves with its item's result once its
 * call has returned, and rejects if that call fails: a failure reaches only the items of its
 * own group.
 */
export function groupCommit<T, R>(run: (items: T[]) => Promise<readonly R[]>, options: GroupCommitOptions) {
  type Waiter = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let waiting: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let roomWaiters: (() => void)[] = [];
  const hasRoom = () => waiting.length < options.maxWaiting;

  const runNext = (): Promise<void> | undefined => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (running || !waiting.length) return running;
    const group = waiting.slice(0, options.size);
    waiting = waiting.slice(group.length);
    if (hasRoom()) {
      roomWaiters.forEach((wake) => wake());
      roomWaiters = [];
    }
    running = Promise.resolve()
      .then(() => run(group.map((w) => w.item)))
      .then((results) => {
        if (results.length !== group.length) throw new Error(`expected ${group.length} results, got ${results.length}`);
        group.forEach((w, i) => w.resolve(results[i] as R));
      })
      .catch((error: unknown) => group.forEach((w) => w.reject(error)));
    void running.then(() => {
      running = undefined;
      runNext();
    });
    return running;
  };

  return {
    add(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!running && !timer) timer = setTimeout(runNext, options.lingerMs);
      });
    },
    /** Resolves when fewer than `maxWaiting` items wait (backpressure for the producers). */
    room(): Promise<void> {
      return hasRoom() ? Promise.resolve() : new Promise((resolve) => roomWaiters.push(resolve));
    },
    /** Resolves once every item added so far has its result (or its group has failed). */
    async flush(): Promise<void> {
      while (runNext() ?? waiting.length) await running;
    },
  };
}
