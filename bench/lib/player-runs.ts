/**
 * Which home rows the player bench clicks, and how it waits for the player between clicks.
 * Kept apart from the browser driving so the choices can be checked without a browser.
 */

/**
 * How many home rows an open popup pre-warms (`PREWARM_HOME_ROWS` in
 * extension/stores/player-view.ts), besides the current track when it is not playing. The bench
 * checks at each first play that the clicked row really was pre-warmed, so a change there shows.
 */
export const PREWARMED_HOME_ROWS = 2;

/**
 * The first play: the row a listener most likely plays and the popup pre-warms, row 0 or row 1
 * by turns, never the track already loaded (a click on that would resume it, not start it).
 */
export function firstPlayRow(rows: readonly { id: string }[], run: number, loadedId: string | undefined): number {
  const pick = run % PREWARMED_HOME_ROWS;
  return rows[pick]?.id === loadedId ? (pick + 1) % PREWARMED_HOME_ROWS : pick;
}

/**
 * The warm play: a row the popup does not pre-warm — not rows 0 and 1, not the next track after
 * the first play (row 2 at most; that one is preloaded), and not `loadedId`, the track loaded
 * when the popup opened (it pre-warms that one too) — so its click starts a track nothing has
 * buffered; and one with a row after it, which becomes the next track for "next". Moves on a row
 * each run.
 */
export function warmPlayRow(rows: readonly { id: string }[], run: number, loadedId: string | undefined): number {
  const from = PREWARMED_HOME_ROWS + 1;
  const choices = rows.length - 1 - from;
  if (choices < 2) throw new Error(`the player bench needs at least ${from + 3} home rows, got ${rows.length}`);
  const pick = from + (run % choices);
  return rows[pick]!.id === loadedId ? from + ((run + 1) % choices) : pick;
}

/** Calls `check` every `everyMs` until it answers true; throws after `timeoutMs`, naming `what`. */
export async function pollUntil(check: () => Promise<boolean>, what: string, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() >= deadline) throw new Error(`${what}: not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
