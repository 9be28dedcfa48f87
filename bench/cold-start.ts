/**
 * Cold-start benchmark of the backend Lambdas (prints figures; not a test). For each function of
 * the synthesized API stack it times, as the median of several fresh `node` processes:
 *
 * - a bare Node start (an empty module);
 * - the floor: a bundle of only the SDK clients that function needs, built with the same esbuild
 *   settings as the Lambdas (`LAMBDA_BUNDLING`);
 * - the synthesized bundle (`index.mjs` of its asset) with the environment the template gives it,
 *   `NODE_OPTIONS` included, so its config check at import passes as on Lambda;
 * - for comparison, the floor with `@aws-sdk/*` left external, loaded from node_modules as a
 *   function relying on the Lambda runtime's own SDK would load it.
 *
 * The overhead is bundle − floor: what the function's own code, libraries and flags add to the
 * SDK it cannot do without. Targets: overhead ≤ 50 ms, bundle ≤ 220 ms beyond a bare start.
 * Figures are CPU time (all the process's threads), which other work on the machine hardly
 * moves and which is what a start costs on a Lambda's fraction of a core; wall time (spawn to
 * exit) is printed beside it and matches it on a quiet machine.
 *
 *   npm run bench:cold-start                         # synthesizes the app into a temporary folder
 *   npm run bench:cold-start -- --assembly=cdk.out   # measures an existing `npm run synth`
 *   npm run bench:cold-start -- --runs=21
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudAssemblyReader, synthesizeCloudAssembly } from '../test/deploy/cloud-assembly';
import { deployedFunctions, lambdaEnvironment } from '../test/deploy/lambda-functions';
import { TemplateResolver } from '../test/deploy/template-resolver';
import {
  bundleLikeLambda,
  emptyModule,
  fileSize,
  measureStarts,
  resolvableScratch,
  sdkFloorSource,
  writeUsageReporter,
  type StartCost,
} from '../test/support/lambda-cold-start';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, round, saveResults, type Figure } from './lib/report';

const runs = numberOption('runs', 11);
const assemblyFlag = process.argv
  .slice(2)
  .find((arg) => arg.startsWith('--assembly='))
  ?.slice('--assembly='.length);

/** Per-run differences, so a figure's spread is that of the pairs measured side by side. */
const minus = (a: StartCost[], b: StartCost[]) => a.map((cost, i) => cost.cpuMs - b[i]!.cpuMs);
const ms = (value: number) => `${round(value)} ms`;

const scratch = await mkdtemp(join(tmpdir(), 'alktunes-cold-start-'));
try {
  console.log(`${machineNote()}; ${loadNote()}; ${runs} runs per figure`);
  const assemblyDir = assemblyFlag ? resolve(assemblyFlag) : join(scratch, 'cdk.out');
  if (!assemblyFlag) {
    console.log('Synthesizing the app (bundles every Lambda)…');
    synthesizeCloudAssembly(assemblyDir);
  }
  const assembly = new CloudAssemblyReader(assemblyDir);
  const reporter = await writeUsageReporter(scratch);
  const bare = { file: await emptyModule(scratch), env: { PATH: process.env.PATH ?? '' } };

  const rows: string[][] = [];
  const figures: Figure[] = [];
  const results: Record<string, unknown> = {};
  for (const fn of deployedFunctions(assembly, new TemplateResolver({ stacks: assembly.stacks() }))) {
    const env = lambdaEnvironment(fn);
    const bundle = join(fn.taskRoot, 'index.mjs');
    const floor = await bundleLikeLambda(sdkFloorSource(fn), join(scratch, `floor-${fn.name}`));
    const runtimeSdkFloor = await bundleLikeLambda(sdkFloorSource(fn), resolvableScratch(`floor-${fn.name}`), { runtimeSdk: true });
    // The floors run without NODE_OPTIONS: flags the template adds count against the bundle.
    const floorEnv = { PATH: env.PATH!, AWS_REGION: env.AWS_REGION! };
    const t = measureStarts(
      { bare, floor: { file: floor, env: floorEnv }, runtimeSdk: { file: runtimeSdkFloor, env: floorEnv }, bundle: { file: bundle, env } },
      runs,
      reporter,
    );
    const [bareT, floorT, runtimeT, bundleT] = [t.bare!, t.floor!, t.runtimeSdk!, t.bundle!];
    rows.push([
      fn.name,
      `${ms(bareT.cpuMs)} (${ms(bareT.wallMs)})`,
      `${ms(floorT.cpuMs)} (${ms(floorT.wallMs)})`,
      `${ms(runtimeT.cpuMs)} (${ms(runtimeT.wallMs)})`,
      `${ms(bundleT.cpuMs)} (${ms(bundleT.wallMs)})`,
      ms(bundleT.cpuMs - bareT.cpuMs),
      ms(bundleT.cpuMs - floorT.cpuMs),
      `${round((await fileSize(bundle)) / 1024)} KB / ${round((await fileSize(floor)) / 1024)} KB`,
      env.NODE_OPTIONS ?? '',
    ]);
    figures.push(
      figure(`${fn.name}: import beyond a bare Node start (CPU)`, minus(bundleT.runs, bareT.runs), 'ms', { op: '<=', value: 220 }),
      figure(`${fn.name}: overhead over its SDK clients alone (CPU)`, minus(bundleT.runs, floorT.runs), 'ms', { op: '<=', value: 50 }),
    );
    results[fn.name] = {
      ...t,
      bundleBytes: await fileSize(bundle),
      floorBytes: await fileSize(floor),
      nodeOptions: env.NODE_OPTIONS ?? null,
    };
  }

  console.log(
    `\nCPU time per start, median (wall time in brackets):\n\n${markdownTable(
      [
        'function',
        'bare node',
        'floor: SDK clients',
        'floor, runtime SDK',
        'bundle',
        'bundle − bare',
        'overhead: bundle − floor',
        'bundle / floor size',
        'NODE_OPTIONS',
      ],
      rows,
    )}`,
  );
  await emitFigures('cold-start', figures);
  console.log(`Raw figures: ${await saveResults('cold-start', { runs, assembly: assemblyFlag ?? 'synthesized', results })}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
  await rm(resolvableScratch(''), { recursive: true, force: true });
}
