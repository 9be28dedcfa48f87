import { spawnSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { LAMBDA_BUNDLING } from '../../infra/constructs/api-function';
import { repoRoot } from '../../infra/paths';
import type { DeployedFunction } from '../deploy/lambda-functions';
import { median } from './statistics';

const dynamoClients = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));`;
const dynamoLowLevelClient = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const dynamoLowLevel = new DynamoDBClient({ region: process.env.AWS_REGION });`;
const s3Presigner = `
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
export const s3 = new S3Client({ region: process.env.AWS_REGION });
export const sign = (Key) => getSignedUrl(s3, new GetObjectCommand({ Bucket: 'media', Key }));`;
const s3Client = `
import { S3Client } from '@aws-sdk/client-s3';
export const s3 = new S3Client({ region: process.env.AWS_REGION });`;
const urlPresigner = `
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
export const presigner = new S3RequestPresigner({ region: process.env.AWS_REGION, credentials: fromEnv(), sha256: Sha256 });
export const sign = async (path) => formatUrl(await presigner.presign(new HttpRequest({ hostname: 'media.s3.amazonaws.com', path })));`;
const cloudSearch = `
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
export const config = new CloudSearchClient({ region: process.env.AWS_REGION });
export const cloudsearch = new CloudSearchDomainClient({ region: process.env.AWS_REGION, endpoint: 'https://search.example' });`;

/**
 * The SDK clients a function needs, built as it builds them and nothing else: the floor its
 * cold start is measured against. Every API function presigns cover (or stream) URLs, with the
 * presigner alone, and reads revocations with a DynamoDB client (search with the low-level one
 * alone); search also reads the index snapshot with the S3 client, or asks CloudSearch when the
 * template deploys it so.
 */
export function sdkFloorSource(fn: Pick<DeployedFunction, 'name' | 'environment'>): string {
  switch (fn.name) {
    case 'shuffle':
    case 'purge':
      return dynamoClients;
    case 'playlists':
    case 'catalog':
    case 'home':
    case 'listening':
      return dynamoClients + urlPresigner;
    case 'search':
      return dynamoLowLevelClient + s3Presigner + (fn.environment.SEARCH_BACKEND === 'cloudsearch' ? cloudSearch : '');
    case 'playlistImport':
      return dynamoClients + (fn.environment.SEARCH_BACKEND === 'cloudsearch' ? cloudSearch : s3Client);
    default:
      throw new Error(`No SDK floor for the ${fn.name} function: add it to sdkFloorSource`);
  }
}

/**
 * Bundles `source` with the esbuild settings the Lambdas are built with into `outdir/index.mjs`.
 * With `runtimeSdk`, `@aws-sdk/*` stays external and loads from node_modules at start, as it
 * would from the SDK the Lambda runtime ships (`outdir` must then sit where node_modules resolves).
 */
export async function bundleLikeLambda(source: string, outdir: string, { runtimeSdk = false } = {}): Promise<string> {
  await mkdir(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  await esbuild.build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLING.target,
    mainFields: LAMBDA_BUNDLING.mainFields,
    minify: LAMBDA_BUNDLING.minify,
    external: runtimeSdk ? ['@aws-sdk/*'] : LAMBDA_BUNDLING.externalModules,
    banner: { js: LAMBDA_BUNDLING.banner ?? '' },
    logLevel: 'error',
  });
  return outfile;
}

/** One program to start: a module file and the environment it starts with. */
export interface Start {
  file: string;
  env: Record<string, string>;
}

/** What one start cost: wall time from spawn to exit, and the CPU time the process used. */
export interface StartCost {
  wallMs: number;
  cpuMs: number;
}

const usageMarker = 'cold-start-usage ';
/**
 * Preloaded with `--import`: reports the process's own CPU time (all its threads) at exit. CPU
 * time hardly moves when other work shares the cores, and it is what a cold start pays on a
 * Lambda with a fraction of a core, where the start is CPU-bound.
 */
const usageReporter = `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write('\\n${usageMarker}' + (user + system) / 1000 + '\\n');
});`;

/** Writes the CPU-time reporter into `dir`; pass its path to `timeStart`. */
export async function writeUsageReporter(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'report-usage.mjs');
  await writeFile(file, usageReporter);
  return file;
}

/** Starts `node <file>` once; throws with its stderr if it fails. */
export function timeStart({ file, env }: Start, reporter: string): StartCost {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(reporter).href, file], { env, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${file} exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  const line = result.stderr.split('\n').find((l) => l.startsWith(usageMarker));
  if (!line) throw new Error(`node ${file} did not report its CPU time: ${result.stderr.slice(0, 2000)}`);
  return { wallMs, cpuMs: Number(line.slice(usageMarker.length)) };
}

/** An empty module: what a bare Node start costs. */
export async function emptyModule(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'empty.mjs');
  await writeFile(file, '');
  return file;
}

/** Medians of several starts of each program, of wall and CPU time, with every run kept. */
export interface StartStats {
  wallMs: number;
  cpuMs: number;
  runs: StartCost[];
}

/** Starts each program `runs` times, in interleaved rounds so drift in the machine hits all alike. */
export function measureStarts(starts: Record<string, Start>, runs: number, reporter: string): Record<string, StartStats> {
  const samples: Record<string, StartCost[]> = Object.fromEntries(Object.keys(starts).map((key) => [key, []]));
  for (const start of Object.values(starts)) timeStart(start, reporter); // warm the page cache
  for (let round = 0; round < runs; round++) {
    for (const [key, start] of Object.entries(starts)) samples[key]!.push(timeStart(start, reporter));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([key, costs]) => [
      key,
      { wallMs: median(costs.map((c) => c.wallMs)), cpuMs: median(costs.map((c) => c.cpuMs)), runs: costs },
    ]),
  );
}

/** A folder inside the repository's node_modules, from where external `@aws-sdk/*` imports resolve. */
export const resolvableScratch = (name: string) => join(repoRoot, 'node_modules', '.cache', 'alktunes-cold-start', name);

export const fileSize = async (file: string) => (await stat(file)).size;
