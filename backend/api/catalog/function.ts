import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { S3UrlSigner } from '../../adapters/s3/url-signer.s3';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import type { ApiHandler } from '../types';
import { catalogRoutes } from './handlers';

/** The catalog Lambda: DynamoDB for the catalog, S3 to presign stream and cover URLs. */
export function createCatalogFunction(config: ApiConfig): ApiHandler {
  const { doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    catalogRoutes({
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      media: new S3UrlSigner({ region: config.region, endpoint: config.endpoints.s3, bucket: config.mediaBucket }),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
  );
}
