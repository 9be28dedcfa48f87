/**
 * The player as a listener sees it, in headless Chromium against a local stack (not a test):
 *   npx tsx bench/player.ts                # 15 runs
 *   npx tsx bench/player.ts --runs=5       # or BENCH_RUNS=5
 *
 * Every figure runs from a click in the popup to the popup showing the clicked track as playing:
 * its title in the now-playing bar (`player-title`) and the `player-toggle` button's `data-state`
 * at `playing`, which the popup paints from the player state the background keeps. A
 * MutationObserver installed in the popup takes both times with performance.now(), and the click
 * is dispatched in the popup too (pointerdown, then click, as a real click without the press
 * time), t0 taken just before: nothing of the test driver is in the figure. Rows:
 * - first play, pre-warmed: before the popup opens nothing plays, the audio host is closed (no
 *   offscreen document, as after Chrome closed it for silence) and the stream URL cache is
 *   empty; the popup is opened and left for 1 s, then the play button of home row 0 or 1 (by
 *   turns, never the track already loaded) is clicked: what a listener most likely plays, and
 *   what the popup pre-warms. The bench checks at the click whether that track's URL was cached
 *   and its audio buffered, and prints in how many runs it was;
 * - warm play, not pre-warmed: the offscreen document is alive and a track plays; the play
 *   button of a later home row (row 3 on; never the next track, nor the track loaded when the
 *   popup opened, which it pre-warms too) is clicked, one whose URL nothing has fetched and
 *   whose audio nothing has buffered (checked): a play the popup could not foresee;
 * - next: the popup's "next" button, once the offscreen document holds the next track buffered
 *   (checked; the bench stops with an error when it does not within 5 s).
 * Each row is measured beside its floor, in the same run and alternating with it: a static page
 * added to a copy of the build (`lib/extension-pages.ts`), whose button plays an `<audio>`
 * element already buffered and sets `data-state="playing"` at its `playing` event, timed the
 * same way. For "first play" the floor page is freshly opened and left for 1 s too; for the
 * other rows another element of it is playing when the button is clicked. Nothing else is in
 * flight at a measured click: the floor page closes only after the run's last click.
 * The headline is what the product adds over the floor: the median of the runs' own
 * differences (product − floor); the product's median, the floor's and their ratio are beside it.
 * The 1-minute load average is printed after every run, flagged "noisy: rerun" above the CPU count.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PlayerHarness } from '../test/e2e/player-harness';
import { ApiClient, expectStatus } from '../test/support/api-client';
import { chromiumPath } from '../test/support/chromium';
import { median } from '../test/support/statistics';
import { audioFloorPage, copyBuildWithPages } from './lib/extension-pages';
import { numberOption } from './lib/options';
import { firstPlayRow, pollUntil, warmPlayRow } from './lib/player-runs';
import {
  addedOverFloor,
  emitFigures,
  figure,
  loadNote,
  markdownTable,
  noisyLoad,
  pairedDifferences,
  round,
  saveResults,
  withSpread,
} from './lib/report';

const runs = numberOption('runs', 15);

/** What the in-page timer answers: ms from just before the click. */
interface Timed {
  /** The expected title first shown in the now-playing bar (null when the page has none to watch). */
  title: number | null;
  /** The title shown and `data-state="playing"`, both. */
  playing: number;
}

/**
 * Runs in the page (as source text: the bench's transpiler would add helpers to a function).
 * Dispatches the click on `click` and resolves once `state` has `data-state="playing"` and, when
 * `title` is given, `player-title` shows it.
 */
const TIMED_CLICK = `async ({ click, state, title, timeoutMs }) => {
  const target = document.querySelector(click);
  if (!target) throw new Error('nothing to click at ' + click);
  const titleShown = () => title === null || document.querySelector('[data-testid="player-title"]')?.textContent === title;
  const playing = () => document.querySelector(state)?.getAttribute('data-state') === 'playing';
  let t0 = 0;
  let titleAt = null;
  const done = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      const now = performance.now();
      if (titleAt === null && title !== null && titleShown()) titleAt = now;
      if (titleShown() && playing()) {
        observer.disconnect();
        resolve({ title: titleAt === null ? null : titleAt - t0, playing: now - t0 });
      }
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
    setTimeout(() => {
      observer.disconnect();
      reject(new Error('not playing within ' + timeoutMs + ' ms of the click on ' + click));
    }, timeoutMs);
  });
  t0 = performance.now();
  target.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, isPrimary: true }));
  target.click();
  return done;
}`;

function timedClick(page: Page, click: string, state: string, title: string | null): Promise<Timed> {
  return page.evaluate(`(${TIMED_CLICK})(${JSON.stringify({ click, state, title, timeoutMs: 15_000 })})`) as Promise<Timed>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Row = 'first' | 'warm' | 'next';
const ROWS = ['first', 'warm', 'next'] as const;
const rowInfo: Record<Row, { label: string; target: number }> = {
  first: { label: 'first play, pre-warmed (home row 0 or 1; no offscreen document at popup open, popup open 1 s)', target: 120 },
  warm: { label: 'warm play, not pre-warmed (a later home row; offscreen document alive, a track playing)', target: 60 },
  next: { label: 'next (next track buffered)', target: 50 },
};

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath}; set CHROMIUM_PATH.`);
  const h = new PlayerHarness({
    prepareExtension: (built, dataDir) => copyBuildWithPages(built, path.join(dataDir, 'extension'), audioFloorPage),
  });
  const product: Record<Row, number[]> = { first: [], warm: [], next: [] };
  const titles: Record<Row, number[]> = { first: [], warm: [], next: [] };
  const floor: Record<Row, number[]> = { first: [], warm: [], next: [] };
  const loads: number[] = [loadavg()[0]!];
  loadNote();
  /** At each first play's click: was the clicked track's URL cached, and was it buffered (readyState ≥ 3)? */
  const prewarmed = { cached: 0, buffered: 0 };
  /** Warm plays whose URL was back in the cache (cleared at the run's start) and was dropped again. */
  let staleUrls = 0;
  try {
    await h.start();
    const floorUrl = `chrome-extension://${h.extensionId}/floor-player.html`;
    let popup = await h.signIn();
    const rows = await popup.$$eval('[data-testid="home-track"]', (found) =>
      found.map((row) => ({ id: row.getAttribute('data-track-id')!, title: row.querySelector('.title')!.textContent! })),
    );
    const paths = await audioPaths(h, rows);
    const holds = async (ids: string[]) => h.holds(ids, paths);
    const playButton = (id: string) => `[data-testid="home-track"][data-track-id="${id}"] [data-testid="track-play"]`;
    const toggle = '[data-testid="player-toggle"]';

    /** Brings `page` to the front and lets the tab switch settle, so it is not in flight at the click. */
    async function front(page: Page): Promise<void> {
      await page.bringToFront();
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100)))');
    }

    /** Measures the product on the popup: the click, then a check that the expected track plays. */
    async function measureProduct(row: Row, click: string, expected: { id: string; title: string }): Promise<void> {
      await front(popup);
      const timed = await timedClick(popup, click, toggle, expected.title);
      const { queue, index } = await h.state();
      if (queue[index]?.id !== expected.id) throw new Error(`${row}: expected ${expected.id} to be current, got ${queue[index]?.id}`);
      product[row].push(timed.playing);
      if (timed.title !== null) titles[row].push(timed.title);
    }

    /** One floor sample on `page`: reset it (with another element playing unless first play), then the timed click. */
    async function measureFloor(row: Row, page: Page): Promise<void> {
      await page.evaluate(`floorReset(${row !== 'first'})`);
      await front(page);
      const timed = await timedClick(page, '#play', '#play', null);
      await page.evaluate('floorStop()');
      floor[row].push(timed.playing);
    }

    for (let run = 0; run < runs; run++) {
      // First play, cold before the popup opens: nothing plays, no offscreen document is alive
      // (as after Chrome closed it for silence) and no stream URL is cached. Then the popup
      // opens and is left for 1 s, and a row it pre-warms is clicked.
      await h.send('player/pause').catch(() => {});
      await popup.close();
      await sleep(500); // the background's answer to the popup closing (it may close the audio host itself)
      const closed = await h.eval<number>(`async () => {
        if ((await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length) await chrome.offscreen.closeDocument();
        await chrome.storage.session.remove('stream-urls');
        return (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length;
      }`);
      if (closed !== 0) throw new Error('the offscreen document is still open');
      const loaded = await h.state(); // none stored before the first play
      const loadedId = loaded?.queue[loaded.index]?.id;
      const first = rows[firstPlayRow(rows, run, loadedId)]!;
      const warm = rows[warmPlayRow(rows, run, loadedId)]!;

      const floorPage = await h.context.newPage();
      await floorPage.goto(floorUrl);
      await floorPage.evaluate('floorReset(false)');
      await sleep(1000);
      await measureFloor('first', floorPage);

      const cold = await h.eval<{ documents: number; cached: string[] }>(`async () => ({
        documents: (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length,
        cached: Object.keys((await chrome.storage.session.get('stream-urls'))['stream-urls'] ?? {}),
      })`);
      if (cold.documents !== 0 || cold.cached.length) throw new Error(`first: not cold when the popup opens (${JSON.stringify(cold)})`);
      popup = await h.openPopup();
      await popup.getByTestId('home-track').first().waitFor({ timeout: 30_000 });
      await sleep(1000);
      const held = (await holds([first.id]))[first.id]!;
      if (held.cached) prewarmed.cached++;
      if (held.readyState >= 3) prewarmed.buffered++;
      await measureProduct('first', playButton(first.id), first);

      // Warm play: the first track plays and its next one is buffered; the clicked row is one
      // nothing has pre-warmed or buffered (checked), so this is a play the popup could not foresee.
      await waitForNextBuffered(h, paths);
      const untouched = (await holds([warm.id]))[warm.id]!;
      if (untouched.readyState >= 0) {
        const all = await holds(rows.map((row) => row.id));
        const state = await h.state();
        throw new Error(
          `warm: row ${rows.indexOf(warm)} (${warm.id}) is buffered; rows held: ` +
            JSON.stringify(rows.map((row, i) => [i, all[row.id]])) +
            `; queue ${state.index} of ${JSON.stringify(state.queue.map((t) => rows.findIndex((row) => row.id === t.id)))}`,
        );
      }
      if (untouched.cached) {
        // Its URL came back into the cache after the run cleared it: drop it, so the click
        // fetches it as for a track nothing looked up (counted and printed).
        staleUrls++;
        await h.eval(
          `async (id) => {
            const { 'stream-urls': urls = {} } = await chrome.storage.session.get('stream-urls');
            delete urls[id];
            await chrome.storage.session.set({ 'stream-urls': urls });
          }`,
          warm.id,
        );
      }
      await measureFloor('warm', floorPage);
      await measureProduct('warm', playButton(warm.id), warm);

      // "Next", with the next track buffered. The floor page closes only after the click is
      // measured: its teardown would compete with the click in the extension's renderer.
      await waitForNextBuffered(h, paths);
      const { queue, index } = await h.state();
      const coming = queue[index + 1]!;
      await measureFloor('next', floorPage);
      await measureProduct('next', '[data-testid="player-next"]', coming);
      await floorPage.close();
      // The preload that follows settles before the next run clears the cache (a write still in
      // flight would put the old entries back).
      await waitForNextBuffered(h, paths);

      const load = loadavg()[0]!;
      loads.push(load);
      process.stdout.write(
        `run ${run + 1}/${runs}: ${ROWS.map((r) => `${r} ${round(product[r].at(-1)!)} (floor ${round(floor[r].at(-1)!)})`).join(', ')} ms; ` +
          `load ${load.toFixed(1)}${noisyLoad(load) ? ' — noisy: rerun' : ''}\n`,
      );
    }

    const noisyRuns = loads.filter((load) => noisyLoad(load)).length;
    console.log(`\nPlayer, click → popup shows the track playing; ${runs} runs, headless Chromium, local stack`);
    console.log(
      `load average (1 min) during the runs: ${loads.map((l) => l.toFixed(1)).join(' → ')} on ${cpus().length} CPUs` +
        (noisyRuns ? `; above the CPU count in ${noisyRuns} readings — noisy: rerun` : ''),
    );
    console.log(`warm play: the clicked track's URL was back in the cache, and dropped before the click, in ${staleUrls} of ${runs} runs`);
    console.log(
      `first play: the clicked track's stream URL was cached in ${prewarmed.cached} of ${runs} runs, its audio buffered in ${prewarmed.buffered} of ${runs}`,
    );
    console.log(
      `\n${markdownTable(
        [
          'row',
          'added over the floor, ms',
          'product median (min–max), ms',
          'title shown, ms',
          'floor median (min–max), ms',
          'ratio',
          'target',
          '',
        ],
        ROWS.map((row) => {
          const ms = median(product[row]);
          return [
            rowInfo[row].label,
            round(addedOverFloor(product[row], floor[row])),
            withSpread(product[row]),
            titles[row].length ? withSpread(titles[row]) : '—',
            withSpread(floor[row]),
            `${round(ms / median(floor[row]))}×`,
            `≤ ${rowInfo[row].target} ms`,
            ms <= rowInfo[row].target ? 'pass' : 'miss',
          ];
        }),
      )}\n`,
    );
    await saveResults('player', { runs, prewarmed, staleUrls, loads, noisy: noisyRuns > 0, product, titles, floor });
    await emitFigures(
      'player',
      ROWS.flatMap((row) => [
        figure(`click → playing, added over the floor: ${rowInfo[row].label}`, pairedDifferences(product[row], floor[row]), 'ms'),
        figure(`  product: click → playing shown (${row})`, product[row], 'ms', { op: '<=', value: rowInfo[row].target }),
        figure(`  floor: static page, buffered <audio> (${row})`, floor[row], 'ms'),
      ]),
    );
  } finally {
    await h.stop();
  }
}

/**
 * The path of each track's audio object, the same under every presigned URL: asked of the API
 * as the demo listener, so the bench can tell which track an offscreen `<audio>` element holds.
 */
async function audioPaths(h: PlayerHarness, rows: readonly { id: string }[]): Promise<Record<string, string>> {
  const { email, password } = h.stack.demo;
  const login = expectStatus(
    await new ApiClient(h.stack.auth).post<{ accessToken: string }>('/auth/login', { email, password }),
    200,
    'sign in as the demo listener',
  );
  const api = new ApiClient(h.stack.api, login.accessToken);
  const paths: Record<string, string> = {};
  for (const { id } of rows) {
    const { url } = expectStatus(await api.get<{ url: string }>(`/tracks/${id}/stream`), 200, `stream URL of ${id}`);
    paths[id] = new URL(url).pathname;
  }
  return paths;
}

/**
 * Waits until the current track plays and the offscreen document holds the next one buffered
 * (an `<audio>` with its stream URL, readyState ≥ 3); throws when that takes over 5 s.
 */
async function waitForNextBuffered(h: PlayerHarness, paths: Record<string, string>): Promise<void> {
  let last = '';
  await pollUntil(async () => {
    const state = await h.state();
    const nextId = state.queue[state.index + 1]?.id;
    if (state.status !== 'playing' || !nextId) {
      last = `status ${state.status}, next ${nextId}`;
      return false;
    }
    const held = (await h.holds([nextId], paths))[nextId]!;
    last = `next ${nextId}: ${JSON.stringify(held)}`;
    return held.readyState >= 3;
  }, 'the current track playing and the next one buffered').catch((error: Error) => {
    throw new Error(`${error.message} (${last})`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
