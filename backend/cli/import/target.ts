import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { dynamoDbAnswers } from '../../adapters/dynamodb/answers';
import { asStackOutputs, readStackOutputs, rethrowAs, stackOutput } from '../stack-outputs';

export type SearchBackendName = 'embedded' | 'cloudsearch';

/** Where an import writes: one bucket, the tracks table and the search index. */
export interface ImportTarget {
  /** One line for the user, e.g. `local stack (http://127.0.0.1:8712)`. */
  description: string;
  region: string;
  bucket: string;
  tracksTable: string;
  /** Local stand-ins; absent for AWS, where the SDK resolves endpoints and credentials itself. */
  endpoints: { s3?: string; dynamodb?: string };
  /** The CloudSearch domain by name; the search adapter looks its endpoints up. */
  search: { backend: SearchBackendName; domainName?: string };
  /** How the home feed is published after an import; absent when the target names no way. */
  homeFeed?: HomeFeedTarget;
}

/**
 * The deployed shuffle function (AWS), or the home table itself (the local stack, which has no
 * IAM), with the listening table whose marked listeners the run rebuilds (a `stack.json` written
 * before the listening table existed names none: then only the global feed is published).
 */
export type HomeFeedTarget = { shuffleFunction: string } | { homeTable: string; listeningTable?: string };

/** The target could not be determined; the message says what to do. */
export class TargetError extends Error {
  override name = 'TargetError';
}

// Typed so that the compiler knows a call never returns.
const asTargetError: (error: unknown) => never = rethrowAs(TargetError);

const searchBackends = z.enum(['embedded', 'cloudsearch']);

/** The search backend named by `value`, read from `source` (an output or a variable). */
function searchBackendFrom(value: string, source: string): z.infer<typeof searchBackends> {
  const parsed = searchBackends.safeParse(value);
  if (!parsed.success) throw new TargetError(`${source} must be "embedded" or "cloudsearch", got "${value}"`);
  return parsed.data;
}

const stackInfoSchema = z.object({
  s3: z.url(),
  dynamodb: z.url(),
  region: z.string().min(1),
  bucket: z.string().min(1),
  tables: z.object({ tracks: z.string().min(1), home: z.string().min(1).optional(), listening: z.string().min(1).optional() }),
});

/** The local stack's `stack.json` (written by `npm start`); its search index is the embedded one. */
export function targetFromStackInfo(info: unknown): ImportTarget {
  const parsed = stackInfoSchema.safeParse(info);
  if (!parsed.success)
    throw new TargetError(`stack.json is not a local stack address book (${parsed.error.issues[0]?.message}); restart with npm start`);
  const stack = parsed.data;
  return {
    description: `local stack (S3 ${stack.s3}, DynamoDB ${stack.dynamodb})`,
    region: stack.region,
    bucket: stack.bucket,
    tracksTable: stack.tables.tracks,
    endpoints: { s3: stack.s3, dynamodb: stack.dynamodb },
    search: { backend: 'embedded' },
    ...(stack.tables.home
      ? { homeFeed: { homeTable: stack.tables.home, ...(stack.tables.listening ? { listeningTable: stack.tables.listening } : {}) } }
      : {}),
  };
}

/**
 * An AWS deployment described by the CDK outputs of its stacks: the bucket and tracks table
 * (data stack), its region, the search backend and domain (search stack) and the shuffle
 * function (API stack). The deployment's own `Region` output beats `region`.
 */
export function targetFromCdkOutputs(outputs: unknown, region: string | undefined, env: NodeJS.ProcessEnv = {}): ImportTarget {
  try {
    const all = asStackOutputs(outputs);
    const output = (name: string) => stackOutput(all, name);
    const bucket = output('MediaBucket');
    const tracksTable = output('TracksTable');
    if (!bucket || !tracksTable) {
      throw new TargetError(
        'the stack outputs lack MediaBucket or TracksTable; pass the file written by `cdk deploy --all --outputs-file <file>`',
      );
    }
    const shuffleFunction = output('ShuffleFunctionName');
    return {
      description: `AWS (bucket ${bucket}, table ${tracksTable})`,
      region: requireRegion(output('Region') ?? region),
      bucket,
      tracksTable,
      endpoints: {},
      search: {
        backend: output('SearchBackend')
          ? searchBackendFrom(output('SearchBackend')!, 'the SearchBackend output')
          : searchBackendFrom(env.SEARCH_BACKEND ?? 'embedded', 'SEARCH_BACKEND'),
        ...optional('domainName', output('SearchDomainName')),
      },
      ...(shuffleFunction ? { homeFeed: { shuffleFunction } } : {}),
    };
  } catch (error) {
    asTargetError(error);
  }
}

/**
 * An AWS deployment named by MEDIA_BUCKET and TRACKS_TABLE (with CLOUDSEARCH_DOMAIN and
 * SHUFFLE_FUNCTION when used); undefined when neither is set.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv, region: string | undefined): ImportTarget | undefined {
  const bucket = env.MEDIA_BUCKET?.trim();
  const tracksTable = env.TRACKS_TABLE?.trim();
  if (!bucket && !tracksTable) return undefined;
  if (!bucket || !tracksTable)
    throw new TargetError(`set both MEDIA_BUCKET and TRACKS_TABLE (${bucket ? 'TRACKS_TABLE' : 'MEDIA_BUCKET'} is missing)`);
  return {
    description: `AWS (bucket ${bucket}, table ${tracksTable})`,
    region: requireRegion(region),
    bucket,
    tracksTable,
    endpoints: {},
    search: {
      backend: searchBackendFrom(env.SEARCH_BACKEND?.trim() || 'embedded', 'SEARCH_BACKEND'),
      ...optional('domainName', env.CLOUDSEARCH_DOMAIN?.trim()),
    },
    ...(env.SHUFFLE_FUNCTION?.trim() ? { homeFeed: { shuffleFunction: env.SHUFFLE_FUNCTION.trim() } } : {}),
  };
}

const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

function requireRegion(region: string | undefined): string {
  if (!region) throw new TargetError('no AWS region: pass --region or set AWS_REGION');
  return region;
}

/** The local stack's address book, written by `npm start`. */
async function readStackInfo(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new TargetError(
        `the local stack is not running (${file} does not exist); start it with npm start, or pass --stack-outputs to import into AWS`,
      );
    }
    throw new TargetError(`cannot read stack.json ${file}: ${code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new TargetError(`stack.json ${file} is not valid JSON; restart the local stack with npm start`);
  }
}

async function assertLocalStackRunning(target: ImportTarget): Promise<void> {
  const { s3, dynamodb } = target.endpoints;
  const s3Answers = await fetch(`${s3}/health`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!s3Answers) throw new TargetError(`the local stack is not running (nothing answers at ${s3}); start it with npm start`);
  if (!dynamodb || !(await dynamoDbAnswers(dynamodb, target.region))) {
    throw new TargetError(`the local stack is not running (nothing answers at ${dynamodb}); start it with npm start`);
  }
}

/**
 * Picks the target: `--stack-outputs`, else MEDIA_BUCKET/TRACKS_TABLE, else the running local
 * stack. Throws `TargetError` with what to do when none is usable.
 */
export async function resolveTarget(
  options: { stackOutputs?: string; region?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImportTarget> {
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (options.stackOutputs) {
    return targetFromCdkOutputs(await readStackOutputs(resolve(options.stackOutputs)).catch(asTargetError), region, env);
  }
  const fromEnv = targetFromEnv(env, region);
  if (fromEnv) return fromEnv;
  const dataDir = resolve(options.dataDir ?? (env.ALKTUNES_DATA_DIR || '.data'));
  const target = targetFromStackInfo(await readStackInfo(resolve(dataDir, 'stack.json')));
  await assertLocalStackRunning(target);
  return target;
}
