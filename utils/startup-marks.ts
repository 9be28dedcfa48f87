// The popup's steps to its first paint, with nothing to import: the popup's entry script uses
// these before anything else is loaded.

/**
 * Performance marks on the way to the first paint (see `bench/popup.ts`). They cost next to
 * nothing and let anyone read the breakdown in DevTools' Performance panel.
 */
export const STARTUP_MARKS = {
  /** The popup's entry script has been fetched, compiled and evaluated: `main.ts` starts running. */
  script: 'popup:script',
  /** The picture of the last state is in the DOM (`popup-snapshot.ts`; absent on a first open). */
  snapshot: 'popup:snapshot',
  /** The stored session, cache and player state have been read. */
  state: 'popup:state',
  /** The app is fetched and mounted with that state (its DOM is built; painting comes next). */
  mounted: 'popup:mounted',
} as const;

export function mark(name: (typeof STARTUP_MARKS)[keyof typeof STARTUP_MARKS]): void {
  globalThis.performance?.mark?.(name);
}

/** Runs `run` once the frame that is being prepared now has been painted. */
export function afterNextPaint(run: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(run, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(run, 0));
}
