/**
 * Search benchmark: relevance and latency per query class on generated catalogs of 20,000 and
 * 100,000 tracks (prints figures; not a test). Per catalog size:
 *
 * - index build time (upsert and first answer, median of up to 3) and its heap;
 * - per query class (`test/support/search-queries.ts`): the share of queries whose intended item
 *   is in the top 1, 3 and 10 of its kind, and latency p50/p95 in-process and through the local
 *   gateway (JWT check, presigned covers, JSON), the median of RUNS runs;
 * - the published snapshot: its gzipped size and the time to load it (get + gunzip + parse +
 *   the first answer, median of 5), what a cold search function pays once; timed once the
 *   running service has loaded it, so the two loads do not share the event loop.
 *
 * Queries search every field (`field=all`, the popup's default) with the popup's page size.
 *
 *   npx tsx bench/search.ts              # --tracks=20000 for one size; --runs=1 --per-class=50 to go faster (or BENCH_TRACKS, …)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createS3Client } from '../backend/adapters/s3/client';
import { CatalogIndex } from '../backend/adapters/search/embedded/catalog-index';
import { S3SnapshotStore } from '../backend/adapters/search/embedded/snapshot-store.s3';
import { toIndexedTrack, type SearchHits } from '../backend/domain/search';
import { startLocalStack, type LocalStack } from '../backend/local/stack';
import { generateCatalog } from '../test/support/search-catalog';
import { generateQueries, queryClasses, rankOf, type ClassQuery, type QueryClass } from '../test/support/search-queries';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, round, type Figure } from './lib/report';
import { median, percentile } from '../test/support/statistics';

const ONE_SIZE = numberOption('tracks', 0);
const SIZES = ONE_SIZE ? [ONE_SIZE] : [20_000, 100_000];
const RUNS = numberOption('runs', 3);
const PER_CLASS = numberOption('per-class', 200);
const LIMIT = 20;
/** Sizes the relevance and latency targets hold at; smaller catalogs are reported beside them. */
const TARGET_SIZE = 100_000;
/** Classes held to "intended item in the top 3" for at least this share of queries. */
const TOP3_TARGET = 97;
const top3Targeted: ReadonlySet<QueryClass> = new Set(['exact', 'substitution', 'insertion', 'deletion', 'transposition', 'accent-free']);
const P95_IN_PROCESS = 5;
const P95_GATEWAY = 10;
const LOAD_TARGET_MS = 1000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap in use after a full collection (twice: the first may leave finalizable garbage). */
const settledHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const ms = (value: number) => `${round(value)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (share: number) => `${round(share * 100)} %`;
const mark = (met: boolean) => (met ? '✅' : '❌');

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

type Hits = Pick<SearchHits, 'tracks' | 'albums' | 'artists'>;

/** Every query RUNS times: each query's rank (first run) and, per run, each query's latency. */
async function measure(queries: readonly ClassQuery[], search: (q: ClassQuery) => Promise<Hits> | Hits) {
  const ranks: (number | undefined)[] = [];
  const runs: number[][] = [];
  for (let run = 0; run < RUNS; run++) {
    const samples: number[] = [];
    for (const [i, query] of queries.entries()) {
      const [hits, took] = await timed(() => search(query));
      samples.push(took);
      if (run === 0) ranks[i] = rankOf(query, hits);
    }
    runs.push(samples);
  }
  return { ranks, runs };
}

/** p50 and p95 of the queries `pick` selects: the median over runs of each run's percentile. */
function latency(runs: number[][], pick: (i: number) => boolean) {
  const perRun = runs.map((samples) => samples.filter((_, i) => pick(i)));
  return {
    p50: median(perRun.map((s) => percentile(s, 50))),
    p95: median(perRun.map((s) => percentile(s, 95))),
    p95s: perRun.map((s) => percentile(s, 95)),
  };
}

async function benchSize(tracks: number, gateway: Awaited<ReturnType<typeof gatewayClient>>, figures: Figure[]) {
  const catalog = generateCatalog(tracks, 1);
  const indexed = catalog.map(toIndexedTrack);
  const queries = generateQueries(catalog, PER_CLASS, 7);
  const label = `${tracks.toLocaleString('en')} tracks`;
  const targeted = tracks >= TARGET_SIZE;
  console.log(`\n## ${label}: ${queries.length} queries (${PER_CLASS} per class), ${RUNS} run${RUNS === 1 ? '' : 's'} — ${loadNote()}\n`);

  const builds: number[] = [];
  // Built and asked once, so an index that finishes its work lazily pays for it here.
  const buildAndAsk = () => {
    const built = CatalogIndex.empty();
    built.upsert(indexed);
    return built.search({ text: queries[0]!.text, field: 'all', limit: LIMIT, offset: 0 });
  };
  for (let run = 0; run < Math.min(RUNS, 3); run++) builds.push((await timed(buildAndAsk))[1]);
  const before = settledHeap();
  let index: CatalogIndex | undefined = CatalogIndex.empty();
  index.upsert(indexed);
  index.search({ text: queries[0]!.text, field: 'all', limit: LIMIT, offset: 0 });
  console.log(
    `index build (upsert + first answer): ${ms(median(builds))} (${builds.map((b) => round(b)).join(', ')} ms); ~${mb(settledHeap() - before)} of heap beside the records`,
  );
  figures.push(figure(`search index build (upsert + first answer), ${label}`, builds, 'ms'));

  const inProcess = await measure(queries, (q) => index!.search({ text: q.text, field: 'all', limit: LIMIT, offset: 0 }));
  const typed = queries.filter((q) => q.class === 'prefix');
  const suggest = await measure(typed, async (q) => {
    await index!.suggest(q.text, 8);
    return { tracks: [], albums: [], artists: [] };
  });
  const suggestLatency = latency(suggest.runs, () => true);
  console.log(`suggest in-process (the prefix queries): p50 ${ms(suggestLatency.p50)}, p95 ${ms(suggestLatency.p95)}`);
  figures.push(figure(`search suggest p95 in-process, ${label}`, suggestLatency.p95s, 'ms'));
  let snapshot: ReturnType<CatalogIndex['toSnapshot']> | undefined = index.toSnapshot();
  index = undefined;

  const { store, viaGateway, served } = gateway;
  // The running service polls the pointer: once it finds an item only this catalog has (and the
  // index found), it has loaded the new snapshot.
  const probe = queries.find((q, i) => q.class === 'exact' && inProcess.ranks[i] !== undefined && !served.has(q.id));
  if (!probe)
    throw new Error(
      `no exact query of the ${label} catalog was found in-process, so none can show that the search service loaded its snapshot`,
    );
  const [pointer, publishMs] = await timed(() => store.publish(snapshot!));
  const published = performance.now();
  snapshot = undefined; // from here on only the search service and each load hold an index
  while (rankOf(probe, await viaGateway(probe)) === undefined) {
    if (performance.now() - published > 60_000)
      throw new Error(`the search service did not serve "${probe.text}" within 60 s of publishing the ${label} snapshot`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`the running service served the new snapshot within ${ms(performance.now() - published)} of publish`);
  for (const t of catalog) served.add(t.id).add(t.albumId).add(t.artistId);

  const loads: number[] = [];
  for (let run = 0; run < 5; run++) {
    const [, took] = await timed(async () => {
      const loaded = CatalogIndex.fromSnapshot(await store.read(pointer));
      await loaded.search({ text: queries[0]!.text, field: 'all', limit: LIMIT, offset: 0 });
    });
    loads.push(took);
  }
  const load = median(loads);
  console.log(
    `snapshot: ${mb(pointer.bytes)} gzipped (${pointer.bytes.toLocaleString('en')} bytes), serialize + gzip + put ${ms(publishMs)}`,
  );
  console.log(
    `snapshot load (get + gunzip + parse + first answer): ${ms(load)} (${loads.map((l) => round(l)).join(', ')} ms)${targeted ? `; target ≤ ${LOAD_TARGET_MS} ms ${mark(load <= LOAD_TARGET_MS)}` : ''}`,
  );
  figures.push(figure(`search snapshot size (gzipped), ${label}`, [pointer.bytes / 1024 / 1024], 'MB'));
  figures.push(
    figure(
      `search snapshot load (get+gunzip+parse+first answer), ${label}`,
      loads,
      'ms',
      targeted ? { op: '<=', value: LOAD_TARGET_MS } : undefined,
    ),
  );
  settledHeap();
  const remote = await measure(queries, viaGateway);
  const differ = remote.ranks.filter((rank, i) => rank !== inProcess.ranks[i]).length;
  if (differ) console.log(`⚠ ${differ} queries ranked differently through the gateway than in-process`);
  report(label, targeted, queries, inProcess, remote, figures);
}

/** One local stack for every size: its snapshot store, and searches through its gateway as the demo user. */
async function gatewayClient(stack: LocalStack) {
  const s3 = createS3Client({ region: stack.region, endpoint: stack.s3 });
  const login = await fetch(`${stack.auth}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stack.demo),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  const viaGateway = async (q: ClassQuery): Promise<Hits> => {
    const url = `${stack.api}/search?q=${encodeURIComponent(q.text)}&field=all&limit=${LIMIT}`;
    let response: Response;
    try {
      response = await fetch(url, { headers });
    } catch {
      response = await fetch(url, { headers }); // a socket the server closed while idle
    }
    if (response.status !== 200) throw new Error(`search answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Hits;
  };
  /** Ids of the items of the catalogs published so far. */
  const served = new Set<string>();
  return { store: new S3SnapshotStore(s3, stack.bucket), viaGateway, served, close: () => s3.destroy() };
}

function report(
  label: string,
  targeted: boolean,
  queries: readonly ClassQuery[],
  inProcess: Awaited<ReturnType<typeof measure>>,
  gateway: Awaited<ReturnType<typeof measure>>,
  figures: Figure[],
) {
  const rows: string[][] = [];
  const row = (name: string, pick: (i: number) => boolean, cls?: QueryClass) => {
    const picked = queries.flatMap((_, i) => (pick(i) ? [inProcess.ranks[i]] : []));
    const share = (k: number) => picked.filter((rank) => rank !== undefined && rank <= k).length / picked.length;
    const local = latency(inProcess.runs, pick);
    const remote = latency(gateway.runs, pick);
    const top3 = share(3);
    const held = targeted && cls !== undefined && top3Targeted.has(cls);
    rows.push([
      name,
      String(picked.length),
      pct(share(1)),
      `${pct(top3)}${held ? ` ${mark(top3 * 100 >= TOP3_TARGET)}` : ''}`,
      pct(share(10)),
      ms(local.p50),
      `${ms(local.p95)}${targeted ? ` ${mark(local.p95 <= P95_IN_PROCESS)}` : ''}`,
      ms(remote.p50),
      `${ms(remote.p95)}${targeted ? ` ${mark(remote.p95 <= P95_GATEWAY)}` : ''}`,
    ]);
    if (cls) figures.push(figure(`search top-3, ${cls}, ${label}`, [top3 * 100], '%', held ? { op: '>=', value: TOP3_TARGET } : undefined));
    return { local, remote };
  };
  for (const cls of queryClasses) row(cls, (i) => queries[i]!.class === cls, cls);
  const all = row('all classes', () => true);
  console.log(
    `\nRelevance and latency per query class, ${label} (field=all, limit ${LIMIT}; latency ${RUNS === 1 ? 'of one run' : `medians of ${RUNS} runs`}):\n`,
  );
  console.log(
    markdownTable(['class', 'queries', 'top-1', 'top-3', 'top-10', 'p50 in-process', 'p95 in-process', 'p50 gateway', 'p95 gateway'], rows),
  );
  if (targeted) {
    console.log(
      `\nTargets at ${label}: top-3 ≥ ${TOP3_TARGET} % for exact, one-typo and accent-free queries; p95 ≤ ${P95_IN_PROCESS} ms in-process, ≤ ${P95_GATEWAY} ms through the gateway.`,
    );
  }
  const spread = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values), runs: values.length });
  const p95 = (name: string, value: { p95: number; p95s: number[] }, target: number) => {
    const f = figure(name, [value.p95], 'ms', targeted ? { op: '<=', value: target } : undefined);
    if (value.p95s.length > 1) f.spread = spread(value.p95s);
    return f;
  };
  figures.push(
    figure(`search p50 in-process, all classes, ${label}`, [all.local.p50], 'ms'),
    p95(`search p95 in-process, all classes, ${label}`, all.local, P95_IN_PROCESS),
    figure(`search p50 through the local gateway, all classes, ${label}`, [all.remote.p50], 'ms'),
    p95(`search p95 through the local gateway, all classes, ${label}`, all.remote, P95_GATEWAY),
  );
}

async function main() {
  console.log(`# Search benchmark: ${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} generated tracks, ${machineNote()}`);
  const figures: Figure[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'alktunes-bench-search-'));
  const stack = await startLocalStack({ dataDir, ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 } });
  try {
    const gateway = await gatewayClient(stack);
    for (const tracks of SIZES) await benchSize(tracks, gateway, figures);
    gateway.close();
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  await emitFigures('search', figures);
}

await main();
