import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import { DynamoListeningActivity } from '../../adapters/dynamodb/listening-activity.dynamodb';
import type { ApiConfig } from '../config';
import { createDynamoFunction } from '../dynamodb-function';
import type { ApiHandler } from '../types';
import { homeRoutes } from './handlers';

/** The home Lambda: the feeds and their tracks from DynamoDB, recent plays live, S3 to presign cover URLs. */
export function createHomeFunction(config: ApiConfig): ApiHandler {
  return createDynamoFunction(config, (deps) =>
    homeRoutes({
      ...deps,
      home: new DynamoHomeRepository(deps.doc, config.tables.home),
      listening: new DynamoListeningActivity(deps.doc, config.tables.listening),
    }),
  );
}
