import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { createS3Client } from '../../adapters/s3/client';
import { S3MediaStore } from '../../adapters/s3/media-store.s3';
import { parseImportArgs, USAGE, UsageError, type ImportArgs } from './args';
import { runImport, type ImportDeps, type ImportReporter } from './importer';
import { plainReporter, progressBarReporter } from './reporter';
import { createHomeFeedStep, type HomeFeedStep } from './home-feed';
import { createSearchIndexStep } from './search-index';
import { exitCodeFor, formatSummary, type ImportSummary } from './summary';
import { resolveTarget, TargetError, type ImportTarget } from './target';
import { RootError } from './walk';

/**
 * Files in flight wait on S3 and DynamoDB round trips far more than on the CPU, whatever the
 * number of cores, and more of them make larger catalog batches (fewer requests per track).
 * Each file in flight may hold up to `IN_MEMORY_BYTES` in memory, so this also bounds what a run
 * takes (512 MiB at most).
 */
export const DEFAULT_CONCURRENCY = 32;

export interface CommandIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Ctrl+C: the first asks for a graceful stop, the second ends the process. */
  onInterrupt(handler: () => void): () => void;
}

/** Builds the adapters for `target` (standard AWS credential chain unless the target is local). */
export function depsFor(target: ImportTarget): ImportDeps & { homeFeed?: HomeFeedStep } {
  const { doc } = createDynamoClients({ region: target.region, endpoint: target.endpoints.dynamodb });
  const s3 = createS3Client({ region: target.region, endpoint: target.endpoints.s3 });
  const catalog = new DynamoCatalogRepository(doc, target.tracksTable);
  return {
    catalog,
    media: new S3MediaStore(s3, target.bucket),
    searchIndex: createSearchIndexStep(target, s3, catalog),
    ...(target.homeFeed ? { homeFeed: createHomeFeedStep(target.homeFeed, { region: target.region, doc, catalog }) } : {}),
  };
}

/** Publishes the home feed after a finished run; a failure is one more error of the run. */
async function publishHomeFeed(step: HomeFeedStep | undefined, summary: ImportSummary, io: CommandIo): Promise<void> {
  if (summary.dryRun || summary.interrupted) return;
  if (!step) {
    io.stdout.write(
      'home feed: not published (the target names no shuffle function); the next scheduled shuffle picks up the new tracks\n',
    );
    return;
  }
  try {
    const { trackCount } = await step.publish();
    io.stdout.write(`home feed: published with ${trackCount} tracks (${step.description})\n`);
  } catch (error) {
    summary.errors.push(`home feed not published: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function reporterFor(args: ImportArgs, io: CommandIo): ImportReporter {
  const options = { verbose: args.verbose, dryRun: args.dryRun };
  return args.progress && io.stderr.isTTY ? progressBarReporter(io.stderr, options) : plainReporter(io.stdout, options);
}

/** `import <folder> [options]`: returns the process exit code (2 for bad input or target, see `exitCodeFor` otherwise). */
export async function importCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`import: ${message}\n`);
    return 2;
  };
  let args: ImportArgs;
  try {
    const parsed = parseImportArgs(argv, DEFAULT_CONCURRENCY);
    if (parsed.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    args = parsed.args;
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n\n${USAGE}`);
    throw error;
  }

  const controller = new AbortController();
  const release = io.onInterrupt(() => {
    io.stderr.write('\nstopping: finishing the files in flight (Ctrl+C again to quit at once)\n');
    controller.abort();
  });
  try {
    const target = await resolveTarget(args, io.env);
    const deps = depsFor(target);
    io.stdout.write(
      `${args.dryRun ? 'Dry run: ' : ''}importing ${args.root} into ${target.description}; search index: ${deps.searchIndex.description}; ${args.concurrency} at a time\n`,
    );
    const summary = await runImport(deps, {
      root: args.root,
      dryRun: args.dryRun,
      concurrency: args.concurrency,
      signal: controller.signal,
      reporter: reporterFor(args, io),
    });
    await publishHomeFeed(deps.homeFeed, summary, io);
    io.stdout.write(`${formatSummary(summary)}\n`);
    return exitCodeFor(summary);
  } catch (error) {
    if (error instanceof TargetError || error instanceof RootError) return fail(error.message);
    // Anything else is a bug or an unusable environment: one line, no stack.
    fail(`stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  } finally {
    release();
  }
}
