import { createDynamoClients } from '../../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../adapters/dynamodb/catalog-repository.dynamodb';
import { DynamoHomeRepository } from '../../adapters/dynamodb/home-repository.dynamodb';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { urlSignerFor } from '../media-url-signer';
import { accessCheckFor } from '../access-check';
import type { ApiHandler } from '../types';
import { homeRoutes } from './handlers';

/** The home Lambda: the feed and its tracks from DynamoDB, S3 to presign cover URLs. */
export function createHomeFunction(config: ApiConfig): ApiHandler {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    homeRoutes({
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      home: new DynamoHomeRepository(doc, config.tables.home),
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
    accessCheckFor(config, client),
  );
}
