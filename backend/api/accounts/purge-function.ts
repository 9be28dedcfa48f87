import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoPurgeQueue } from '../../adapters/dynamodb/revocations.dynamodb';
import { logger } from '../../lambda-runtime/logger';
import type { ApiConfig } from '../config';
import type { ScheduleEvent } from '../types';
import { purgeDeletedAccounts, type PurgeSummary } from './purge-accounts';
import { userDataStores } from './user-data-stores';

/** The scheduled account purge: erases the data of deleted accounts (DynamoDB only). */
export function createPurgeFunction(config: ApiConfig): (event: ScheduleEvent) => Promise<PurgeSummary> {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const deps = {
    queue: new DynamoPurgeQueue(client, config.tables.revocations),
    stores: userDataStores(config, doc),
    now: () => new Date(),
  };
  return async () => {
    try {
      const summary = await purgeDeletedAccounts(deps);
      // Quiet when there was nothing to do; a run that only finished left-over deletes is logged too.
      if (summary.accounts || Object.values(summary.erased).some(Boolean)) {
        logger.info('deleted data purged', { ...summary });
      }
      return summary;
    } catch (error) {
      // Rethrown: the run counts as a Lambda error (alarm); the requests stay pending for the next run.
      // Each store's failure on its own: an AggregateError's `errors` would not be logged.
      const causes: unknown[] = error instanceof AggregateError ? error.errors : [error];
      logger.error('deleted data not purged; the requests stay pending for the next run', { causes });
      throw error;
    }
  };
}
