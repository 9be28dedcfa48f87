import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoHomeRepository, DynamoListenerFeeds } from '../../adapters/dynamodb/home-repository.dynamodb';
import { DynamoListeningActivity } from '../../adapters/dynamodb/listening-activity.dynamodb';
import type { CatalogRepository } from '../../domain/ports';
import { logger } from '../../lambda-runtime/logger';
import type { ApiConfig } from '../config';
import type { ScheduleEvent } from '../types';
import { runHomeFeedJob, type HomeFeedJobDeps, type HomeFeedJobOptions, type HomeFeedRun } from './home-feed-job';

/**
 * The schedule's run on DynamoDB, reading `catalog`: in the shuffle function, and run locally by
 * `npm run shuffle` and after an import into the local stack.
 */
export function dynamoHomeFeedJobDeps(
  doc: DynamoDBDocumentClient,
  tables: Pick<ApiConfig['tables'], 'home' | 'listening'>,
  catalog: CatalogRepository,
): HomeFeedJobDeps {
  return {
    catalog,
    home: new DynamoHomeRepository(doc, tables.home),
    listening: new DynamoListeningActivity(doc, tables.listening),
    listenerFeeds: new DynamoListenerFeeds(doc, { home: tables.home, listening: tables.listening }),
    now: () => new Date(),
  };
}

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
  const deps = dynamoHomeFeedJobDeps(doc, config.tables, new DynamoCatalogRepository(doc, config.tables.tracks));
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
