import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING } from '../../infra/constructs/api-function';

const stackTraces = fileURLToPath(new URL('./stack-traces.ts', import.meta.url));

/** A module that throws from a named function, three lines into its source. */
const failing = `import { mapStackTracesOnDemand } from ${JSON.stringify(stackTraces)};
mapStackTracesOnDemand(import.meta.url);
export function failInPublish() {
  throw new Error('publish failed');
}
try {
  failInPublish();
} catch (error) {
  console.log(error.stack);
}
`;

describe('mapStackTracesOnDemand', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-stack-traces-'));
    await writeFile(join(dir, 'failing-source.ts'), failing);
    bundle = join(dir, 'out', 'index.mjs');
    // Minified with a map and no sources in it, as the Lambdas are.
    await esbuild.build({
      entryPoints: [join(dir, 'failing-source.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: LAMBDA_BUNDLING.minify,
      sourcemap: LAMBDA_BUNDLING.sourceMap,
      sourcesContent: LAMBDA_BUNDLING.sourcesContent,
      logLevel: 'error',
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const stackOf = (file: string) => spawnSync(process.execPath, [file], { encoding: 'utf8', env: { PATH: process.env.PATH } }).stdout;

  it('names the source file, line and function of a minified frame, without --enable-source-maps', () => {
    const stack = stackOf(bundle);
    expect(stack).toMatch(/^Error: publish failed\n/);
    expect(stack).toMatch(/at failInPublish \(\S*failing-source\.ts:4:\d+\)/);
    expect(stack).not.toContain('index.mjs');
  });

  it('leaves stacks as they are when no map sits beside the module', async () => {
    await rm(`${bundle}.map`);
    expect(stackOf(bundle)).toMatch(/at \S+ \(file:\/\/\S*index\.mjs:\d+:\d+\)/);
  });
});
