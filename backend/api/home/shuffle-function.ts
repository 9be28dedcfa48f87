import type { Context } from 'aws-lambda';
import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import { DynamoListeningActivity } from '../../adapters/dynamodb/listening-activity.dynamodb';
import { logger } from '../../lambda-runtime/logger';
import type { ApiConfig } from '../config';
import type { ScheduleEvent } from '../types';
import { runHomeFeedJob, type HomeFeedJobOptions, type HomeFeedRun } from './home-feed-job';

/** The part of a Lambda context the run reads: how long it may still take. */
export type RunDeadline = Pick<Context, 'getRemainingTimeInMillis'>;

/**
 * The scheduled shuffle: publishes the global home feed and rebuilds the feeds of the listeners
 * who played or liked something since the last run (DynamoDB only). Without a Lambda context
 * (the local stack) a run has no time limit.
 */
export function createShuffleFunction(
  config: ApiConfig,
  options: Omit<HomeFeedJobOptions, 'remainingMs'> = {},
): (event: ScheduleEvent, context?: RunDeadline) => Promise<HomeFeedRun> {
  const { doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const deps = {
    catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
    home: new DynamoHomeRepository(doc, config.tables.home),
    listening: new DynamoListeningActivity(doc, config.tables.listening),
    now: () => new Date(),
  };
  return async (_event, context) => {
    try {
      const remainingMs = context ? () => context.getRemainingTimeInMillis() : undefined;
      const result = await runHomeFeedJob(deps, { ...options, remainingMs });
      logger.info('home feed published', { ...result });
      if (result.listenersLeft > 0)
        logger.warn('listeners left for the next run: the run ran short of time', { listenersLeft: result.listenersLeft });
      return result;
    } catch (error) {
      // Rethrown: the run counts as a Lambda error (alarm) and a scheduled run is retried, then
      // dead-lettered. This line says what it means for listeners, next to the cause.
      logger.error('home feed not published; listeners keep the previous feed', { error });
      throw error;
    }
  };
}
