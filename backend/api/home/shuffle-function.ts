import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
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
      console.info(JSON.stringify({ level: 'info', message: 'home feed published', ...result }));
      return result;
    } catch (error) {
      // Rethrown: the run counts as a Lambda error (alarm) and a scheduled run is retried, then
      // dead-lettered. This line says what it means for listeners, next to the cause.
      const cause = error instanceof Error ? { errorType: error.name, errorMessage: error.message } : { errorMessage: String(error) };
      console.error(JSON.stringify({ level: 'error', message: 'home feed not published; listeners keep the previous feed', ...cause }));
      throw error;
    }
  };
}
