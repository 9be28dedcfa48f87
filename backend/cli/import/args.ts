import { parseArgs } from 'node:util';

/** The import command's options, validated. */
export interface ImportArgs {
  root: string;
  dryRun: boolean;
  concurrency: number;
  /** A `cdk deploy --outputs-file` JSON; targets AWS instead of the local stack. */
  stackOutputs?: string;
  region?: string;
  /** Where the local stack keeps `stack.json`. */
  dataDir?: string;
  /** Log every file, including unchanged ones. */
  verbose: boolean;
  /** Plain log lines even on a terminal. */
  progress: boolean;
}

export type ParsedArgs = { help: true } | { help: false; args: ImportArgs };

export const USAGE = `Usage: npm run import -- <music folder> [options]

Loads every playable audio file under the folder (MP3, AAC/M4A, FLAC, Ogg Vorbis, Opus, WAV)
into the media bucket, the catalog and the search index, then publishes a new home feed. Safe
to run again: unchanged files are skipped and an interrupted import continues where it stopped.

Target: the local stack (.data/stack.json, written by npm start) unless --stack-outputs or
MEDIA_BUCKET + TRACKS_TABLE are given; AWS uses the standard credential chain.

Options:
  --dry-run               show what would be imported; write nothing
  --concurrency <n>       files in flight at once (default: 32)
  --stack-outputs <file>  cdk outputs JSON (cdk deploy --outputs-file) of an AWS deployment
  --region <region>       AWS region (default: AWS_REGION / AWS_DEFAULT_REGION)
  --data-dir <dir>        local stack data directory (default: ALKTUNES_DATA_DIR or .data)
  --verbose               log unchanged files too
  --no-progress           plain log lines instead of a progress bar
  -h, --help              show this help

Environment: MEDIA_BUCKET, TRACKS_TABLE, AWS_REGION, SEARCH_BACKEND (embedded | cloudsearch),
CLOUDSEARCH_DOMAIN (cloudsearch), SHUFFLE_FUNCTION (publishes the home feed); all of them are
read from --stack-outputs instead when it is given.`;

/** Thrown for bad command-line input; the message is meant for the user, with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses `argv` (without node and the script); throws `UsageError` with a message that says what to fix. */
export function parseImportArgs(argv: readonly string[], defaultConcurrency: number): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'stack-outputs': { type: 'string' },
        region: { type: 'string' },
        'data-dir': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        progress: { type: 'boolean', default: true },
        'no-progress': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length ? `expected one music folder, got ${positionals.length} paths` : 'missing the music folder to import',
    );
  }
  let concurrency = defaultConcurrency;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 256, got "${values.concurrency}"`);
    }
  }
  return {
    help: false,
    args: {
      root: positionals[0]!,
      dryRun: values['dry-run'],
      concurrency,
      ...(values['stack-outputs'] ? { stackOutputs: values['stack-outputs'] } : {}),
      ...(values.region ? { region: values.region } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      verbose: values.verbose,
      progress: values.progress && !values['no-progress'],
    },
  };
}
