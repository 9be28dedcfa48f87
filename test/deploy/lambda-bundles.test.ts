/*
 * What keeps the Lambdas' cold starts small, read from the synthesized bundles and template:
 * each bundle holds only its own function's code and SDK clients, zod's tree-shakable build,
 * and a source map that nothing parses at start. The import of each bundle is timed against a
 * bundle of just the SDK clients it needs (bench/cold-start.ts measures it properly); only a
 * generous ratio is asserted, since timing is for the bench.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bundleLikeLambda,
  emptyModule,
  measureStarts,
  sdkFloorSource,
  writeUsageReporter,
  type Start,
  type StartStats,
} from '../support/lambda-cold-start';
import { CloudAssemblyReader, synthesizeCloudAssembly } from './cloud-assembly';
import { deployedFunctions, lambdaEnvironment, type DeployedFunction } from './lambda-functions';
import { TemplateResolver } from './template-resolver';

const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
const functions = deployedFunctions(assembly, new TemplateResolver({ stacks: assembly.stacks() }));
const bundleOf = (fn: DeployedFunction) => join(fn.taskRoot, 'index.mjs');

/** The libraries that cost a cold start most; each function may bundle only those it uses. */
const watched = [
  '@aws-sdk/client-cloudsearch',
  '@aws-sdk/client-cloudsearch-domain',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/s3-request-presigner',
];
const dynamo = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
const cloudsearch = ['@aws-sdk/client-cloudsearch', '@aws-sdk/client-cloudsearch-domain'];
/** Presigning alone: the functions that only hand out links must not load the S3 client. */
const presigner = ['@aws-sdk/s3-request-presigner'];
const s3 = ['@aws-sdk/client-s3', ...presigner];

/**
 * Per function: its libraries, the folders of `backend/api` holding its routes (the shuffle has
 * none: it publishes the feed the home routes read; nor has the purge), the most its bundle may
 * weigh (about 15 % above today's; all five were 1.2 MB when each held everything) and its
 * timeout (search: a cold index load; shuffle: the whole catalog and the changed listeners). Every API function reads the
 * revocations; search with DynamoDB's low-level client alone, without the document client.
 */
const expected: Record<string, { libraries: string[]; routes: string[]; maxKb: number; timeout: number }> = {
  playlists: { libraries: [...dynamo, ...presigner], routes: ['playlists'], maxKb: 470, timeout: 10 },
  catalog: { libraries: [...dynamo, ...presigner], routes: ['catalog'], maxKb: 460, timeout: 10 },
  home: { libraries: [...dynamo, ...presigner], routes: ['home'], maxKb: 460, timeout: 10 },
  listening: { libraries: [...dynamo, ...presigner], routes: ['listening'], maxKb: 470, timeout: 10 },
  search: { libraries: ['@aws-sdk/client-dynamodb', ...s3], routes: ['search'], maxKb: 620, timeout: 30 },
  // The embedded index from S3 (no presigner: it signs nothing) and the playlists' document client.
  playlistImport: { libraries: [...dynamo, '@aws-sdk/client-s3'], routes: ['playlist-import'], maxKb: 790, timeout: 30 },
  shuffle: { libraries: dynamo, routes: [], maxKb: 460, timeout: 840 },
  purge: { libraries: dynamo, routes: [], maxKb: 460, timeout: 300 },
};
/**
 * The search function deployed with `-c searchBackend=cloudsearch`: no embedded index, no S3
 * client (was 874 KB with both). DynamoDB's client shares less with the CloudSearch clients than
 * with S3's: it adds 184 KB here (~45 ms of CPU at a cold start) against 44 KB (~3 ms) beside S3.
 */
const cloudsearchSearch = { libraries: ['@aws-sdk/client-dynamodb', ...cloudsearch, ...presigner], routes: ['search'], maxKb: 860 };
/** The playlist import beside it: CloudSearch's clients in place of the embedded index and S3's. */
const cloudsearchImport = { libraries: [...dynamo, ...cloudsearch], routes: ['playlist-import'], maxKb: 1030 };

/** The modules a bundle was built from, as its source map lists them. */
function bundleInputs(bundle: string): { sources: string[]; sourcesContent?: unknown[] } {
  return JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
}

const packageOf = (source: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];

/** The watched libraries a bundle holds, sorted. */
function watchedLibraries(bundle: string): string[] {
  const packages = new Set(bundleInputs(bundle).sources.map(packageOf));
  return watched.filter((name) => packages.has(name));
}

/** The folders of `backend/api` whose route handlers a bundle holds. */
function routeFolders(bundle: string): string[] {
  const folders = bundleInputs(bundle).sources.map((source) => /backend\/api\/([\w-]+)\/handlers\.ts$/.exec(source)?.[1]);
  return [...new Set(folders.filter((folder) => folder !== undefined))];
}

describe('Lambda bundles', () => {
  it('covers every backend function of the template', () => {
    expect(functions.map((fn) => fn.name).sort()).toEqual(Object.keys(expected).sort());
  });

  describe.each(functions)('the $name function', (fn) => {
    const want = expected[fn.name]!;
    const bundle = bundleOf(fn);

    it('bundles only the SDK clients and libraries it uses', () => {
      expect(watchedLibraries(bundle)).toEqual([...want.libraries].sort());
    });

    it("holds its own routes and no other function's", () => {
      expect(routeFolders(bundle)).toEqual(want.routes);
    });

    it("uses zod's tree-shakable build with the English messages only", () => {
      const zod = bundleInputs(bundle).sources.filter((source) => source.includes('node_modules/zod/'));
      expect(zod.filter((source) => /zod\/v4\/(classic\/|locales\/(?!en\.js))/.test(source))).toEqual([]);
    });

    it(`weighs at most ${want.maxKb} KB, with a source map that holds no sources`, () => {
      expect(statSync(bundle).size / 1024).toBeLessThanOrEqual(want.maxKb);
      expect(bundleInputs(bundle).sourcesContent ?? []).toEqual([]);
    });

    it(`starts without --enable-source-maps and maps stack traces on demand; times out after ${want.timeout} s`, () => {
      expect(fn.environment.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
      expect(fn.timeoutSeconds).toBe(want.timeout);
      const probe = `await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof Error.prepareStackTrace);`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env: lambdaEnvironment(fn), encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('function');
    });
  });

  describe('the search function deployed with searchBackend=cloudsearch', () => {
    let outdir: string;
    let bundle: string;
    let importBundle: string;
    beforeAll(async () => {
      outdir = await mkdtemp(join(tmpdir(), 'alktunes-cdk-out-cloudsearch-'));
      // Only the API stack's assets are bundled: the other stacks' do not depend on the backend.
      synthesizeCloudAssembly(outdir, { searchBackend: 'cloudsearch', 'aws:cdk:bundling-stacks': ['alktunes-api'] });
      const cloudAssembly = new CloudAssemblyReader(outdir);
      const deployed = deployedFunctions(cloudAssembly, new TemplateResolver({ stacks: cloudAssembly.stacks() }));
      const search = deployed.find((fn) => fn.name === 'search');
      expect(search?.environment.SEARCH_BACKEND).toBe('cloudsearch');
      bundle = bundleOf(search!);
      importBundle = bundleOf(deployed.find((fn) => fn.name === 'playlistImport')!);
    }, 120_000);
    afterAll(() => rm(outdir, { recursive: true, force: true }));

    it('bundles the CloudSearch clients, the presigner and the low-level DynamoDB client, without the embedded index or the S3 client', () => {
      expect(watchedLibraries(bundle)).toEqual([...cloudsearchSearch.libraries].sort());
      expect(routeFolders(bundle)).toEqual(cloudsearchSearch.routes);
    });

    it(`weighs at most ${cloudsearchSearch.maxKb} KB`, () => {
      expect(statSync(bundle).size / 1024).toBeLessThanOrEqual(cloudsearchSearch.maxKb);
    });

    it(`deploys the playlist import on CloudSearch too, without the embedded index or the S3 client, at most ${cloudsearchImport.maxKb} KB`, () => {
      expect(watchedLibraries(importBundle)).toEqual([...cloudsearchImport.libraries].sort());
      expect(routeFolders(importBundle)).toEqual(cloudsearchImport.routes);
      expect(statSync(importBundle).size / 1024).toBeLessThanOrEqual(cloudsearchImport.maxKb);
    });
  });

  describe('cold start', () => {
    let scratch: string;
    let times: Record<string, StartStats>;
    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'alktunes-bundle-starts-'));
      const starts: Record<string, Start> = { bare: { file: await emptyModule(scratch), env: { PATH: process.env.PATH ?? '' } } };
      for (const fn of functions) {
        const env = lambdaEnvironment(fn);
        const floor = await bundleLikeLambda(sdkFloorSource(fn), join(scratch, fn.name));
        starts[`${fn.name}:floor`] = { file: floor, env: { PATH: env.PATH!, AWS_REGION: env.AWS_REGION! } };
        starts[`${fn.name}:bundle`] = { file: bundleOf(fn), env };
      }
      times = measureStarts(starts, 3, await writeUsageReporter(scratch));
    }, 180_000);
    afterAll(() => rm(scratch, { recursive: true, force: true }));

    it('costs each function little more than the SDK clients it needs (CPU time, median of 3)', () => {
      const bare = times.bare!.cpuMs;
      const rows = functions.map((fn) => {
        const floor = times[`${fn.name}:floor`]!.cpuMs - bare;
        const bundle = times[`${fn.name}:bundle`]!.cpuMs - bare;
        return {
          function: fn.name,
          'floor − bare (ms)': Math.round(floor),
          'bundle − bare (ms)': Math.round(bundle),
          'overhead (ms)': Math.round(bundle - floor),
        };
      });
      console.log(`Import CPU time beyond a bare Node start (${Math.round(bare)} ms):\n${rows.map((r) => JSON.stringify(r)).join('\n')}`);
      // One bundle holding every function's code, with --enable-source-maps, took ~3× its floor.
      for (const row of rows) expect(row['bundle − bare (ms)'], row.function).toBeLessThanOrEqual(1.75 * row['floor − bare (ms)']);
    });
  });
});
