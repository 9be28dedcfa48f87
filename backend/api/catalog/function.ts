import type { ApiConfig } from '../config';
import { createDynamoFunction } from '../dynamodb-function';
import type { ApiHandler } from '../types';
import { catalogRoutes } from './handlers';

/** The catalog Lambda: DynamoDB for the catalog, S3 to presign stream and cover URLs. */
export function createCatalogFunction(config: ApiConfig): ApiHandler {
  return createDynamoFunction(config, catalogRoutes);
}
