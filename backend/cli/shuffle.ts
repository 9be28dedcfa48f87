#!/usr/bin/env tsx
/** Admin command: run the home feed's schedule now, locally or in AWS. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { dynamoDbAnswers } from '../adapters/dynamodb/answers';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { runHomeFeedJob } from '../api/home/home-feed-job';
import { dynamoHomeFeedJobDeps } from '../api/home/shuffle-function';
import { invokeShuffle } from './import/home-feed';
import { readStackOutputs, stackOutput } from './stack-outputs';

const usage = `Runs the home feed's schedule now: publishes the global feed ("For you" for new
listeners, "New in the library", "Popular this week") and rebuilds the feed of every listener
who played or liked something since the last run.

  npm run shuffle -- [--stack-outputs <file>] [--region <region>] [--data-dir <dir>]

--stack-outputs  the file written by \`cdk deploy --outputs-file\` (npm run deploy writes
                 cdk-outputs.json): invokes the deployed shuffle function (ShuffleFunctionName)
                 and prints its answer. Needs lambda:InvokeFunction on it.
--region         the deployment's region when the outputs file does not name it (else AWS_REGION).
--data-dir       the running local stack's folder (default ALKTUNES_DATA_DIR or .data/); used
                 without --stack-outputs: the run reads and writes its DynamoDB directly.`;

/** The command cannot run; the message says what to do. */
class ShuffleCommandError extends Error {
  override name = 'ShuffleCommandError';
}

const stackInfoSchema = z.object({
  dynamodb: z.url(),
  region: z.string().min(1),
  tables: z.object({ tracks: z.string().min(1), home: z.string().min(1), listening: z.string().min(1) }),
});

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** One summary line of a run, local or deployed. */
function describeRun(run: Record<string, unknown>): string {
  const n = (key: string) => (typeof run[key] === 'number' ? (run[key] as number) : 0);
  const parts = [
    `global feed of ${n('trackCount')} tracks published`,
    `${n('listenersRebuilt')} listeners rebuilt`,
    `${n('listenersReset')} reset to the global feed`,
    `${n('listenersLeft')} left for the next run`,
  ];
  if (n('listenersSuperseded')) parts.push(`${n('listenersSuperseded')} changed during their rebuild (left to a later run)`);
  if (n('listenersFailed')) parts.push(`${n('listenersFailed')} failed (kept for the next run; see the logs)`);
  return `${parts.join(', ')} in ${seconds(n('durationMs'))} s`;
}

async function runLocally(dataDir: string, out: (line: string) => void): Promise<void> {
  const file = resolve(dataDir, 'stack.json');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ShuffleCommandError(
      error.code === 'ENOENT'
        ? `the local stack is not running (${file} does not exist); start it with npm start, or pass --stack-outputs for AWS`
        : `cannot read ${file}: ${error.code ?? error.message}`,
    );
  });
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    throw new ShuffleCommandError(`${file} is not valid JSON; restart the local stack with npm start`);
  }
  const parsed = stackInfoSchema.safeParse(info);
  if (!parsed.success) throw new ShuffleCommandError(`${file} is not a local stack address book; restart the stack with npm start`);
  const stack = parsed.data;
  if (!(await dynamoDbAnswers(stack.dynamodb, stack.region))) {
    throw new ShuffleCommandError(`the local stack is not running (nothing answers at ${stack.dynamodb}); start it with npm start`);
  }
  const { doc } = createDynamoClients({ region: stack.region, endpoint: stack.dynamodb });
  try {
    out(`running the home feed's schedule on the local stack (DynamoDB ${stack.dynamodb})…`);
    const run = await runHomeFeedJob(dynamoHomeFeedJobDeps(doc, stack.tables, new DynamoCatalogRepository(doc, stack.tables.tracks)));
    out(describeRun({ ...run }));
  } finally {
    doc.destroy();
  }
}

async function runInAws(outputsFile: string, region: string | undefined, out: (line: string) => void): Promise<void> {
  const outputs = await readStackOutputs(resolve(outputsFile)).catch((error: Error) => {
    throw new ShuffleCommandError(error.message);
  });
  const functionName = stackOutput(outputs, 'ShuffleFunctionName');
  if (!functionName)
    throw new ShuffleCommandError(`${outputsFile} has no ShuffleFunctionName output; pass the file written by npm run deploy`);
  const deployedRegion = stackOutput(outputs, 'Region') ?? region;
  if (!deployedRegion) throw new ShuffleCommandError('no AWS region: pass --region or set AWS_REGION');
  out(`invoking the shuffle function ${functionName} (${deployedRegion})…`);
  const started = performance.now();
  const answer = await invokeShuffle(functionName, deployedRegion, { source: 'alktunes.cli', 'detail-type': 'Run requested' });
  out(describeRun({ durationMs: performance.now() - started, ...answer }));
}

/** `shuffle`: exit 0 with a summary, 1 with a message saying what to fix. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'stack-outputs': { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(usage);
    return 0;
  }
  try {
    if (values['stack-outputs']) {
      await runInAws(values['stack-outputs'], values.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined), out);
    } else {
      await runLocally(values['data-dir'] ?? (env.ALKTUNES_DATA_DIR || '.data'), out);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ShuffleCommandError)) throw error;
    out(`shuffle: ${error.message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`shuffle failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
