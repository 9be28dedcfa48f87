/**
 * Player speed and footprint in headless Chromium against a local stack (not a test):
 *   npx tsx bench/player.ts [runs=20]
 * - click-to-sound: the popup's "play" click → the offscreen `<audio>` reports currentTime > 0
 * - next-to-sound:  a `player/next` message → the next (preloaded) track reports currentTime > 0
 * - memory of the offscreen document (CDP Performance.getMetrics, JSHeapUsedSize)
 * Both ends of a timing are read as `performance.timeOrigin + performance.now()` in extension
 * pages; "sound" is detected by polling `offscreen/status` in a tight loop (≈1 ms per round trip).
 */
import { existsSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import { chromiumPath, PlayerHarness } from '../test/e2e/player-harness';
import { emitFigures, figure } from './lib/report';

const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 20);

/** Resolves, in the probe page, at the first moment `trackId` is audible; returns that page time. */
const waitForSound = `async (trackId) => {
  for (;;) {
    const reply = await chrome.runtime.sendMessage({ type: 'offscreen/status', data: {} }).catch(() => undefined);
    const media = reply?.value;
    if (media && media.trackId === trackId && media.currentTime > 0 && !media.paused) return performance.timeOrigin + performance.now();
  }
}`;

function summary(name: string, values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
  return `${name.padEnd(16)} median ${q(0.5).toFixed(1)} ${unit}  p10 ${q(0.1).toFixed(1)}  p90 ${q(0.9).toFixed(1)}  min ${sorted[0]!.toFixed(1)}  max ${sorted.at(-1)!.toFixed(1)}  (n=${values.length})`;
}

/** JSHeapUsedSize of the offscreen document, through a non-flattened CDP session to its target. */
async function offscreenHeap(cdp: CDPSession): Promise<number | undefined> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
  if (!target) return undefined;
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  const reply = new Promise<number | undefined>((resolve) => {
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: { metrics: { name: string; value: number }[] } };
      if (message.id === 2) resolve(message.result?.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value);
    });
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Performance.enable' }) });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 2, method: 'Performance.getMetrics' }) });
  const value = await Promise.race([reply, new Promise<undefined>((resolve) => setTimeout(resolve, 3_000))]);
  await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  return value;
}

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath}; set CHROMIUM_PATH.`);
  const h = new PlayerHarness();
  await h.start();
  try {
    const popup = await h.signIn();
    const rows = popup.getByTestId('home-track');
    const count = Math.min(await rows.count(), 30);
    const probe = await h.probe();
    await popup.evaluate(() => {
      document.addEventListener('click', () => ((window as unknown as { clickAt: number }).clickAt = performance.timeOrigin + performance.now()), true);
    });

    const click: number[] = [];
    const next: number[] = [];
    const heap: number[] = [];
    const cdp = await h.context.newCDPSession(probe);
    for (let run = 0; run < runs; run++) {
      // Every other row, so the clicked track is never the one already preloaded.
      const row = rows.nth((run * 2) % count);
      const trackId = await row.getAttribute('data-track-id');
      const sound = probe.evaluate(`(${waitForSound})(${JSON.stringify(trackId)})`) as Promise<number>;
      await row.getByTestId('track-play').click();
      const heard = await sound;
      click.push(heard - (await popup.evaluate(() => (window as unknown as { clickAt: number }).clickAt)));

      await new Promise((resolve) => setTimeout(resolve, 600)); // let the next track preload
      const { queue, index } = await h.state();
      const nextId = queue[index + 1]!.id;
      const timed = (await probe.evaluate(`(async (nextId) => {
        const at = performance.timeOrigin + performance.now();
        const heard = (${waitForSound})(nextId);
        chrome.runtime.sendMessage({ type: 'player/next', data: {} });
        return (await heard) - at;
      })(${JSON.stringify(nextId)})`)) as number;
      next.push(timed);
      const used = await offscreenHeap(cdp);
      if (used !== undefined) heap.push(used / 1024 / 1024);
    }

    console.log(`Player benchmark, ${runs} runs, headless Chromium, local stack`);
    console.log(summary('click-to-sound', click, 'ms'));
    console.log(summary('next-to-sound', next, 'ms'));
    if (heap.length) console.log(summary('offscreen heap', heap, 'MB'));
    else console.log('offscreen heap   not available (could not attach to the offscreen target)');
    await emitFigures('player', [
      figure('click-to-sound', click, 'ms', { op: '<', value: 150 }),
      figure('next-track-to-sound (preloaded)', next, 'ms', { op: '<', value: 50 }),
      figure('offscreen document JS heap', heap.length ? heap : [Number.NaN], 'MB', { op: '<', value: 32 }),
    ]);
  } finally {
    await h.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
