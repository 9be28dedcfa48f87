import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { serverBusy } from './errors';

export interface HashGateSettings {
  /** Password hashes computed at once. */
  maxRunning: number;
  /** Hashes that may wait for a free slot, per lane; beyond it requests are turned away. */
  maxWaiting: number;
}

/** One hash per core at a time, and a line short enough to wait through (8 hashes per core, ~0.4 s). */
export function defaultHashGateSettings(): HashGateSettings {
  const cores = availableParallelism();
  return { maxRunning: cores, maxWaiting: 8 * cores };
}

export interface HashGate {
  /**
   * Runs `task` when a slot is free. `priority` tasks go ahead of the others and have a waiting
   * line of their own. When the task's line is full, fails at once with `serverBusy` (503).
   */
  run<T>(task: () => Promise<T>, options?: { priority?: boolean }): Promise<T>;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a slot, both lanes. */
  readonly waiting: number;
}

const PRIORITY = 1;
const NORMAL = 0;

/**
 * Caps concurrent password hashing. Each hash holds a thread of libuv's pool and ~19 MiB for its
 * whole run; unbounded, a burst of bogus logins queues every later one behind it (seconds) and
 * can exhaust memory. A full line answers fast instead, so clients retry rather than pile up.
 */
export function createHashGate(settings: Partial<HashGateSettings> = {}): HashGate {
  const { maxRunning, maxWaiting } = { ...defaultHashGateSettings(), ...settings };
  const queue = new PQueue({ concurrency: maxRunning });
  return {
    run(task, { priority = false } = {}) {
      const lane = priority ? PRIORITY : NORMAL;
      const mustWait = queue.pending >= maxRunning;
      if (mustWait && queue.sizeBy({ priority: lane }) >= maxWaiting) return Promise.reject(serverBusy());
      return queue.add(task, { priority: lane });
    },
    get running() {
      return queue.pending;
    },
    get waiting() {
      return queue.size;
    },
  };
}
