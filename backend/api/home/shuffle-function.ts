import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import { logger } from '../../lambda-runtime/logger';
import type { ApiConfig } from '../config';
import type { ScheduleEvent } from '../types';
import { publishShuffledFeed } from './publish-feed';

/** The scheduled shuffle: reads the catalog and publishes a new home feed (DynamoDB only). */
export function createShuffleFunction(config: ApiConfig): (event: ScheduleEvent) => Promise<{ trackCount: number; generatedAt: string }> {
  const { doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const deps = {
    catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
    home: new DynamoHomeRepository(doc, config.tables.home),
    now: () => new Date(),
  };
  return async () => {
    try {
      const result = await publishShuffledFeed(deps);
      logger.info('home feed published', { ...result });
      return result;
    } catch (error) {
      // Rethrown: the run counts as a Lambda error (alarm) and a scheduled run is retried, then
      // dead-lettered. This line says what it means for listeners, next to the cause.
      logger.error('home feed not published; listeners keep the previous feed', { error });
      throw error;
    }
  };
}
