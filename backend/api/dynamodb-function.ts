import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import type { CatalogRepository, MediaUrlSigner } from '../domain/ports';
import { accessCheckFor } from './access-check';
import type { ApiConfig } from './config';
import { dispatch, type RouteHandler } from './http';
import { urlSignerFor } from './media-url-signer';
import type { ApiHandler } from './types';

/** What every function that serves tracks from DynamoDB builds its routes from. */
export interface CatalogFunctionDeps {
  /** The document client, for the function's own repositories. */
  doc: DynamoDBDocumentClient;
  catalog: CatalogRepository;
  /** Presigns the tracks' cover (and stream) URLs in the media bucket. */
  media: MediaUrlSigner;
  urlTtlSeconds: number;
  now: () => Date;
}

/**
 * An API function that serves tracks from DynamoDB (catalog, playlists, home): one pair of
 * DynamoDB clients per cold start, shared by its repositories and the revocation check, and S3
 * only to presign URLs.
 */
export function createDynamoFunction(config: ApiConfig, routes: (deps: CatalogFunctionDeps) => Record<string, RouteHandler>): ApiHandler {
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
