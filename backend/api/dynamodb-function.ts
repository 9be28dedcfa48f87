import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { accessCheckFor } from './access-check';
import type { CatalogDeps } from './catalog/handlers';
import type { ApiConfig } from './config';
import { dispatch, type RouteHandler } from './http';
import { urlSignerFor } from './media-url-signer';
import type { ApiHandler } from './types';

/** What every function that serves tracks from DynamoDB builds its routes from: the catalog function's deps and the client. */
export interface DynamoFunctionDeps extends CatalogDeps {
  /** The document client, for the function's own repositories. */
  doc: DynamoDBDocumentClient;
}

/**
 * An API function that serves tracks from DynamoDB (catalog, playlists, home): one pair of
 * DynamoDB clients per cold start, shared by its repositories and the revocation check, and S3
 * only to presign URLs.
 */
export function createDynamoFunction(config: ApiConfig, routes: (deps: DynamoFunctionDeps) => Record<string, RouteHandler>): ApiHandler {
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    routes({
      doc,
      catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
      now: () => new Date(),
    }),
    accessCheckFor(config, client),
  );
}
