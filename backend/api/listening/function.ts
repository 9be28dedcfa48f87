import { DynamoListeningRepository } from '../../adapters/dynamodb/listening-repository.dynamodb';
import type { ApiConfig } from '../config';
import { createDynamoFunction } from '../dynamodb-function';
import type { ApiHandler } from '../types';
import { listeningRoutes } from './handlers';

/** The listening Lambda: DynamoDB for plays, likes and settings, the catalog for their tracks, S3 only to presign covers. */
export function createListeningFunction(config: ApiConfig): ApiHandler {
  return createDynamoFunction(config, (deps) =>
    listeningRoutes({ ...deps, listening: new DynamoListeningRepository(deps.doc, config.tables.listening) }),
  );
}
