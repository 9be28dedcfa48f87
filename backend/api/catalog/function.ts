import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { createS3Client } from '../../adapters/s3/client';
import { S3MediaStore } from '../../adapters/s3/media-store.s3';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import type { ApiHandler } from '../types';
import { catalogRoutes } from './handlers';

/** The catalog Lambda: DynamoDB for the catalog, S3 to presign stream and cover URLs. */
export function createCatalogFunction(config: ApiConfig): ApiHandler {
  const { doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
  return dispatch(
    catalogRoutes({
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      media: new S3MediaStore(s3, config.mediaBucket),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
  );
}
