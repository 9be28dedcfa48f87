import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { urlSignerFor } from '../media-url-signer';
import { accessCheckFor } from '../access-check';
import type { ApiHandler } from '../types';
import { catalogRoutes } from './handlers';

/** The catalog Lambda: DynamoDB for the catalog, S3 to presign stream and cover URLs. */
export function createCatalogFunction(config: ApiConfig): ApiHandler {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    catalogRoutes({
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
    accessCheckFor(config, client),
  );
}
