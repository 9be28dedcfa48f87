/**
 * Popup figures (not a test): time to first paint with cached state, median over several
 * opens in headless Chromium against the local stack, with a breakdown (performance marks
 * set by `entrypoints/popup/main.ts`, navigation timing, and a CDP trace of one more open),
 * and the gzipped JS popup.html loads before its first paint; and, for scale, the floor: the
 * first paint of a static one-line page added to a copy of the build.
 * Run: npx tsx bench/popup.ts  (CHROMIUM_PATH overrides the Chromium binary; OPENS the count;
 * TRACE=0 skips the traced open, whose trace is written to the temporary directory)
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startLocalStack } from '../backend/local/stack';
import { launchWithExtension } from '../test/support/chromium';
import { median } from '../test/support/statistics';
import { emitFigures, figure, loadNote, saveResults } from './lib/report';

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

interface Sample {
  responseEnd: number;
  domInteractive: number;
  script: number;
  state: number;
  mounted: number;
  painted: number;
  frame: number;
  fcp: number;
}
interface Probe {
  __rows?: { painted?: number; frame?: number };
}

/** In the page before its scripts: marks the first home row's title for Element Timing. */
function watchRows(): void {
  const probe = ((window as unknown as Probe).__rows = {} as NonNullable<Probe['__rows']>);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { identifier: string; renderTime: number })[]) {
      if (entry.identifier === 'home-row') probe.painted ??= entry.renderTime || entry.startTime;
    }
  }).observe({ type: 'element', buffered: true });
  new MutationObserver((_, observer) => {
    const title = document.querySelector('[data-testid="home-track"] .title');
    if (!title) return;
    observer.disconnect();
    title.setAttribute('elementtiming', 'home-row');
    requestAnimationFrame(() => (probe.frame = performance.now()));
  }).observe(document, { childList: true, subtree: true });
}

/** In the page once the rows are painted (a string: the bench's transpiler would wrap named arrows). */
const readSample = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const marks = {};
  for (const m of performance.getEntriesByType('mark')) marks[m.name] ??= m.startTime;
  const probe = window.__rows;
  return {
    responseEnd: nav.responseEnd,
    domInteractive: nav.domInteractive,
    script: marks['popup:script'] ?? NaN,
    state: marks['popup:state'] ?? NaN,
    mounted: marks['popup:mounted'] ?? NaN,
    painted: probe.painted,
    frame: probe.frame ?? NaN,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  };
})()`;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * One more open with a CDP trace: time on the popup renderer's main thread by kind, from its
 * first event to the first paint after the `popup:mounted` mark. Writes the trace for DevTools.
 */
async function traceOneOpen(url: string): Promise<{ file: string; totals: [string, number][] }> {
  const page = await context.newPage();
  await page.addInitScript(watchRows);
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,blink.user_timing,v8.execute,disabled-by-default-devtools.timeline,loading',
    transferMode: 'ReportEvents',
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as Probe).__rows?.painted !== undefined);
  await page.waitForTimeout(100);
  await cdp.send('Tracing.end');
  await done;
  await page.close();

  const mounted = events.find((e) => e.name === 'popup:mounted');
  const totals = new Map<string, number>();
  if (mounted) {
    const thread = events.find(
      (e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === mounted.pid && e.args?.name === 'CrRendererMain',
    );
    const onMain = events.filter((e) => e.pid === mounted.pid && (!thread || e.tid === thread.tid) && e.ph === 'X');
    const paint = onMain.find((e) => e.ts > mounted.ts && (e.name === 'Paint' || e.name === 'PrePaint'));
    const end = (paint?.ts ?? mounted.ts) + (paint?.dur ?? 0);
    const start = Math.min(...onMain.map((e) => e.ts));
    const kinds: Record<string, string> = {
      ParseHTML: 'parse HTML',
      'v8.compileModule': 'compile script',
      'v8.compile': 'compile script',
      CompileScript: 'compile script',
      EvaluateScript: 'run script',
      'v8.evaluateModule': 'run script',
      FunctionCall: 'run script (callbacks)',
      RunMicrotasks: 'run script (microtasks)',
      UpdateLayoutTree: 'style recalc',
      ParseAuthorStyleSheet: 'parse CSS',
      Layout: 'layout',
      PrePaint: 'pre-paint',
      Paint: 'paint',
      Layerize: 'layerize',
    };
    for (const e of onMain) {
      const kind = kinds[e.name];
      if (kind && e.ts >= start && e.ts <= end) totals.set(kind, (totals.get(kind) ?? 0) + (e.dur ?? 0) / 1000);
    }
    totals.set('main thread span (first event → rows paint)', (end - start) / 1000);
  }
  const file = path.join(dataDir, '..', `alktunes-popup-trace-${Date.now()}.json`);
  await writeFile(file, JSON.stringify({ traceEvents: events }));
  return { file, totals: [...totals] };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'alktunes-bench-'));
const stack = await startLocalStack({
  dataDir: path.join(dataDir, 'stack'),
  ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
  buildExtension: true,
});
// The build, plus one static page that is not part of the product: the floor, i.e. what this
// Chromium takes to show one line of text from this extension, with no script and no styles.
const extensionDir = path.join(dataDir, 'extension');
await cp(stack.extension.chrome!, extensionDir, { recursive: true });
await writeFile(path.join(extensionDir, 'floor.html'), '<!doctype html><meta charset="utf-8"><title>floor</title><p>Alktunes</p>');
const { context, popupUrl } = await launchWithExtension(path.join(dataDir, 'profile'), extensionDir);
try {
  // Sign in once and let the feed and playlists land in the cache.
  const first = await context.newPage();
  await first.goto(popupUrl);
  await first.getByTestId('auth-email').fill(stack.demo.email);
  await first.getByTestId('auth-password').fill(stack.demo.password);
  await first.getByTestId('auth-submit').click();
  await first.getByTestId('home-track').first().waitFor({ timeout: 30_000 });
  await first.waitForTimeout(1000);
  await first.close();

  // Each open is a fresh page navigated to popup.html, as a toolbar click opens one. Every
  // figure is in ms from that navigation's start (performance.timeOrigin): creating the tab
  // and attaching the driver happen before it and are not counted; fetching the page,
  // compiling and running the script, reading storage, mounting and painting are.
  const samples: Sample[] = [];
  for (let i = 0; i < opens; i++) {
    const page = await context.newPage();
    await page.addInitScript(watchRows);
    await page.goto(popupUrl);
    await page.waitForFunction(() => (window as unknown as Probe).__rows?.painted !== undefined);
    await page.waitForTimeout(50);
    samples.push((await page.evaluate(readSample)) as Sample);
    await page.close();
  }

  const floor: number[] = [];
  for (let i = 0; i < opens; i++) {
    const page = await context.newPage();
    await page.goto(popupUrl.replace('popup.html', 'floor.html'));
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    floor.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime));
    await page.close();
  }

  const trace = process.env.TRACE === '0' ? undefined : await traceOneOpen(popupUrl);

  const js = await popupJsGzip(extensionDir);
  const col = (key: keyof Sample) => samples.map((s) => s[key]);
  const line = (label: string, xs: number[], extra = '') =>
    console.log(
      `${label.padEnd(44)} ${median(xs).toFixed(1).padStart(6)} ms  (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})${extra}`,
    );
  console.log(`popup opens measured: ${opens}; ${loadNote()} before, ${loadavg()[0]!.toFixed(2)} now`);
  console.log('definition: ms from navigation start of popup.html (performance.timeOrigin of a fresh tab navigated to it)');
  console.log('  to the paint that first shows a cached home row (Element Timing renderTime of its title text).');
  console.log('  Creating the tab and attaching the driver come before navigation start and are not included.');
  console.log('breakdown (medians of each step; cumulative from navigation start):');
  line('  popup.html response end', col('responseEnd'));
  line('  HTML parsed (domInteractive)', col('domInteractive'));
  line('  script fetched, compiled, evaluated', col('script'));
  line('  cached state read from storage', col('state'));
  line('  app mounted with it', col('mounted'));
  line('  rows painted (Element Timing)', col('painted'));
  line('  rows painted (next animation frame)', col('frame'));
  line('first contentful paint', col('fcp'));
  line('cached home rows painted', col('painted'), '  target < 100 ms');
  line('floor: a static one-line page of the extension', floor);
  console.log(
    `popup JS (${js.files.length} files): ${(js.raw / 1024).toFixed(1)} KB raw, ${(js.gzip / 1024).toFixed(1)} KB gzip  target < 80 KB`,
  );
  if (trace) {
    console.log(`CDP trace of one more open, popup renderer main thread up to the rows' paint (${trace.file}):`);
    for (const [name, ms] of trace.totals) console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(6)} ms`);
  }
  await saveResults('popup-breakdown', { load: loadavg(), samples, trace: trace && Object.fromEntries(trace.totals) });
  await emitFigures('popup', [
    figure('popup first contentful paint', col('fcp'), 'ms'),
    figure('popup first paint of cached home rows', col('painted'), 'ms', { op: '<', value: 100 }),
    figure('floor: first paint of a static one-line extension page', floor, 'ms'),
    figure(`popup JS size, gzip (${js.files.length} files)`, [js.gzip / 1024], 'KB', { op: '<', value: 80 }),
  ]);
} finally {
  await context.close();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
