/**
 * Popup figures (not a test): time to first paint with cached state, median over several
 * opens in headless Chromium against the local stack, and the gzipped JS popup.html loads.
 * Run: npx tsx bench/popup.ts  (CHROMIUM_PATH overrides the Chromium binary; OPENS the count)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startLocalStack } from '../backend/local/stack';
import { emitFigures, figure } from './lib/report';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const opens = Number(process.env.OPENS ?? 15);

/** Sum of the gzipped JS chunks popup.html references, following static imports. */
async function popupJsGzip(dir: string): Promise<{ files: string[]; raw: number; gzip: number }> {
  const html = await readFile(path.join(dir, 'popup.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!.replace(/^\//, ''));
  const seen = new Set<string>();
  let raw = 0;
  let gzip = 0;
  while (queue.length) {
    const file = path.normalize(queue.shift()!);
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(path.join(dir, file));
    raw += code.length;
    gzip += gzipSync(code).length;
    for (const m of code.toString().matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) {
      queue.push(path.join(path.dirname(file), m[1]!));
    }
  }
  return { files: [...seen], raw, gzip };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = await mkdtemp(path.join(tmpdir(), 'alktunes-bench-'));
const stack = await startLocalStack({ dataDir: path.join(dataDir, 'stack'), ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 }, buildExtension: true });
const extensionDir = stack.extension.chrome!;
const context = await chromium.launchPersistentContext(path.join(dataDir, 'profile'), {
  executablePath: chromiumPath,
  headless: false,
  ignoreDefaultArgs: ['--disable-extensions'],
  viewport: { width: 380, height: 560 },
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
});
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const popupUrl = `chrome-extension://${new URL(worker.url()).host}/popup.html`;

  // Sign in once and let the feed and playlists land in the cache.
  const first = await context.newPage();
  await first.goto(popupUrl);
  await first.getByTestId('auth-email').fill(stack.demo.email);
  await first.getByTestId('auth-password').fill(stack.demo.password);
  await first.getByTestId('auth-submit').click();
  await first.getByTestId('home-track').first().waitFor({ timeout: 30_000 });
  await first.waitForTimeout(1000);
  await first.close();

  // Each open: ms from navigation start until the first home row is painted (a frame after insertion).
  const fcp: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < opens; i++) {
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[data-testid="home-track"]')) return;
        observer.disconnect();
        requestAnimationFrame(() => ((window as unknown as { __painted: number }).__painted = performance.now()));
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(popupUrl);
    await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined);
    rows.push(await page.evaluate(() => (window as unknown as { __painted: number }).__painted));
    fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    await page.close();
  }

  const js = await popupJsGzip(extensionDir);
  console.log(`popup opens measured:                 ${opens}`);
  console.log(`first contentful paint, median:       ${median(fcp).toFixed(1)} ms  (min ${Math.min(...fcp).toFixed(1)}, max ${Math.max(...fcp).toFixed(1)})`);
  console.log(`cached home rows painted, median:     ${median(rows).toFixed(1)} ms  (min ${Math.min(...rows).toFixed(1)}, max ${Math.max(...rows).toFixed(1)})  target < 100 ms`);
  console.log(`popup JS (${js.files.length} files): ${(js.raw / 1024).toFixed(1)} KB raw, ${(js.gzip / 1024).toFixed(1)} KB gzip  target < 80 KB`);
  await emitFigures('popup', [
    figure('popup first contentful paint', fcp, 'ms'),
    figure('popup first paint of cached home rows', rows, 'ms', { op: '<', value: 100 }),
    figure(`popup JS size, gzip (${js.files.length} files)`, [js.gzip / 1024], 'KB', { op: '<', value: 80 }),
  ]);
} finally {
  await context.close();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
