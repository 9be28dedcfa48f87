/**
 * Runs every benchmark, each as its own process starting its own fresh local stack, and writes
 * `bench/results/<date>.json`, `.md` and `.html` (a table and a bar chart of figures against
 * their targets). Benches report figures through `emitFigures` (lib/report.ts).
 *
 *   npm run bench                      # full runs (tens of minutes on a 2-core machine)
 *   npm run bench -- --quick           # one short run of each, for a smoke test
 *   npm run bench -- --only=api,auth   # a subset; --skip=player,popup leaves some out
 *
 * Exits with 1 when a bench fails; misses are reported, not fatal (add --strict to fail on them).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresFileVariable, machineNote, noisyLoad, type Figure } from './lib/report';
import { counts, toHtml, toMarkdown, type BenchOutcome, type RunSummary } from './lib/summary';

interface BenchSpec {
  name: string;
  script: string;
  /** Settings for `--quick`: environment variables and arguments. */
  quick: { env?: Record<string, string>; args?: string[] };
}

const benches: BenchSpec[] = [
  { name: 'api', script: 'api.ts', quick: { env: { BENCH_RUNS: '1', BENCH_DURATION: '2', BENCH_ENTRIES: '100' } } },
  {
    name: 'auth',
    script: 'auth.ts',
    quick: { env: { BENCH_RUNS: '1', BENCH_LOGINS: '4', BENCH_CONCURRENCY: '2', BENCH_VERIFY_SECONDS: '1' } },
  },
  { name: 'import', script: 'import.ts', quick: { env: { BENCH_TRACKS: '200', BENCH_RUNS: '1' } } },
  { name: 'search', script: 'search.ts', quick: { env: { BENCH_TRACKS: '20000', BENCH_RUNS: '1', BENCH_PER_CLASS: '30' } } },
  { name: 'player', script: 'player.ts', quick: { env: { BENCH_RUNS: '3' } } },
  { name: 'popup', script: 'popup.ts', quick: { env: { OPENS: '3' } } },
  { name: 'cold-start', script: 'cold-start.ts', quick: { env: { BENCH_RUNS: '3' } } },
];

const argv = process.argv.slice(2);
const flag = (name: string) =>
  argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',');
const quick = argv.includes('--quick');
const strict = argv.includes('--strict');
const only = flag('only');
const skip = flag('skip') ?? [];
const benchDir = fileURLToPath(new URL('.', import.meta.url));

/** Runs one bench script with tsx, echoing its output; resolves with its exit code. */
function runScript(spec: BenchSpec, figuresFile: string): Promise<{ exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, spec.script), ...(quick ? (spec.quick.args ?? []) : [])], {
      env: { ...process.env, ...(quick ? spec.quick.env : {}), [figuresFileVariable]: figuresFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${spec.name}] `);
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode }));
  });
}

async function runBench(spec: BenchSpec, scratch: string): Promise<BenchOutcome> {
  const figuresFile = join(scratch, `${spec.name}.json`);
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  console.error(`\n▶ ${spec.name} (bench/${spec.script}${quick ? ', quick' : ''}) — load average ${loadBefore.toFixed(1)}`);
  const { exitCode } = await runScript(spec, figuresFile);
  const outcome: BenchOutcome = {
    bench: spec.name,
    script: `bench/${spec.script}`,
    ok: exitCode === 0,
    exitCode,
    seconds: (performance.now() - started) / 1000,
    loadBefore,
    loadAfter: loadavg()[0]!,
    figures: [],
  };
  if (existsSync(figuresFile)) {
    outcome.figures = (JSON.parse(await readFile(figuresFile, 'utf8')) as { figures: Figure[] }).figures;
  }
  if (!outcome.figures.length) outcome.note = 'reported no figures';
  if (!outcome.ok) outcome.note = [`exited with ${exitCode}`, outcome.note].filter(Boolean).join('; ');
  // Above the CPU count, other work was queuing for the cores: the figures measure it too.
  if (noisyLoad(loadBefore) || noisyLoad(outcome.loadAfter)) outcome.note = [outcome.note, 'noisy: rerun'].filter(Boolean).join('; ');
  console.error(`■ ${spec.name}: ${outcome.ok ? 'ok' : 'FAILED'}, ${outcome.figures.length} figures, ${Math.round(outcome.seconds)} s`);
  return outcome;
}

const selected = benches.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
const summary: RunSummary = { startedAt: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine: machineNote(), benches: [] };
const scratch = await mkdtemp(join(tmpdir(), 'alktunes-bench-all-'));
try {
  for (const spec of selected) {
    if (!existsSync(join(benchDir, spec.script))) {
      console.error(`\n⚠ bench/${spec.script} is not there: skipping ${spec.name}`);
      continue;
    }
    summary.benches.push(await runBench(spec, scratch));
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const resultsDir = join(benchDir, 'results');
await mkdir(resultsDir, { recursive: true });
const stem = join(resultsDir, summary.startedAt.slice(0, 19).replace(/:/g, '-'));
await writeFile(`${stem}.json`, `${JSON.stringify(summary, null, 2)}\n`);
const markdown = toMarkdown(summary);
await writeFile(`${stem}.md`, markdown);
await writeFile(`${stem}.html`, toHtml(summary));
console.log(`\n${markdown}`);
console.log(`Written: ${stem}.json, .md and .html`);

const c = counts(summary);
if (c.failedBenches.length || (strict && c.miss)) process.exitCode = 1;
