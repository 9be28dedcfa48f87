import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import { runHomeFeedJob } from '../../api/home/home-feed-job';
import { publishShuffledFeed } from '../../api/home/publish-feed';
import { dynamoHomeFeedJobDeps } from '../../api/home/shuffle-function';
import type { CatalogRepository } from '../../domain/ports';
import type { HomeFeedTarget } from './target';

/** Publishes a new home feed once an import is done, so listeners see the new music at once. */
export interface HomeFeedStep {
  /** Shown after the run, e.g. `shuffle function alktunes-api-Shuffle…`. */
  description: string;
  publish(): Promise<{ trackCount: number }>;
}

/** The home feed could not be published; the message says what failed. */
export class HomeFeedError extends Error {
  override name = 'HomeFeedError';
}

/**
 * In AWS the import invokes the deployed shuffle function (the admin needs only
 * `lambda:InvokeFunction` on it, and the feed is built by the deployed code); the local stack
 * has no IAM, so the same run happens here against its tables: the global feed, then the feeds
 * of the listeners marked changed.
 */
export function createHomeFeedStep(
  target: HomeFeedTarget,
  local: { region: string; doc: DynamoDBDocumentClient; catalog: CatalogRepository },
): HomeFeedStep {
  if ('shuffleFunction' in target) {
    return {
      description: `shuffle function ${target.shuffleFunction}`,
      publish: async () => ({ trackCount: (await invokeShuffle(target.shuffleFunction, local.region)).trackCount }),
    };
  }
  const { homeTable, listeningTable } = target;
  return {
    description: `home table ${homeTable}`,
    publish: () =>
      listeningTable
        ? runHomeFeedJob(dynamoHomeFeedJobDeps(local.doc, { home: homeTable, listening: listeningTable }, local.catalog))
        : publishShuffledFeed({ catalog: local.catalog, home: new DynamoHomeRepository(local.doc, homeTable), now: () => new Date() }),
  };
}

/** The deployed shuffle function's answer: the track count, and what else its run reports. */
export type ShuffleAnswer = { trackCount: number } & Record<string, unknown>;

/** Runs the deployed shuffle function once and returns its answer (`HomeFeedError` when it fails). */
export async function invokeShuffle(
  functionName: string,
  region: string,
  origin: { source: string; 'detail-type': string } = { source: 'alktunes.import', 'detail-type': 'Import finished' },
): Promise<ShuffleAnswer> {
  const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
  const client = new LambdaClient({ region });
  try {
    // The shuffle reads no field of its event; this one says where the run came from in its logs.
    const event = { ...origin, detail: {} };
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
    const payload = parsePayload(out.Payload);
    if (out.FunctionError) {
      const { errorType, errorMessage } = (payload ?? {}) as { errorType?: string; errorMessage?: string };
      throw new HomeFeedError(
        `the shuffle function ${functionName} failed: ${errorType ?? out.FunctionError}: ${errorMessage ?? 'no message'} (see its CloudWatch logs)`,
      );
    }
    const trackCount = (payload as { trackCount?: unknown } | undefined)?.trackCount;
    if (typeof trackCount !== 'number') throw new HomeFeedError(`the shuffle function ${functionName} answered without a track count`);
    return payload as ShuffleAnswer;
  } finally {
    client.destroy();
  }
}

function parsePayload(bytes: Uint8Array | undefined): unknown {
  if (!bytes?.length) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
