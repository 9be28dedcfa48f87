import { PURGE_PERIOD_MINUTES } from '../api/accounts/purge-accounts';

/** The EventBridge `rate(3 hours)` rule, played by an in-process timer. */
export const shufflePeriodMs = 3 * 60 * 60 * 1000;

/** The account purge's EventBridge rule, every `PURGE_PERIOD_MINUTES`, played by an in-process timer. */
export const purgePeriodMs = PURGE_PERIOD_MINUTES * 60 * 1000;

/**
 * Runs `job` now and then every `periodMs`. A failing run is reported and the schedule
 * goes on, as EventBridge would retry the next period. Returns a stop function.
 */
export function startSchedule(job: () => Promise<unknown>, periodMs: number, onError: (error: unknown) => void) {
  let running: Promise<unknown> | undefined;
  const run = () => {
    if (running) return; // never overlap two runs
    running = job()
      .catch(onError)
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, periodMs);
  run();
  return {
    /** The first run, for callers that want to wait for it. */
    firstRun: running as Promise<unknown> | undefined,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
