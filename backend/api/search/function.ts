import { createDynamoClient } from '../../adapters/dynamodb/low-level-client';
import { DynamoTrackPlays } from '../../adapters/dynamodb/popular-plays.dynamodb';
import type { TrackSearch } from '../../domain/search';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { urlSignerFor } from '../media-url-signer';
import { accessCheckFor } from '../access-check';
import type { ApiHandler } from '../types';
import { cachedPlays } from './cached-plays';
import { searchRoutes } from './handlers';

/**
 * The search Lambda: a search adapter, and the media bucket's signer for cover URLs in hits.
 * The adapter is built by the caller, so each Lambda entry bundles only the one it deploys with
 * (and only the embedded one, which reads its snapshots from S3, brings the S3 client). Its only
 * DynamoDB client is the low-level one: the revocation check and the weekly plays (which rank
 * equal hits) read with it.
 */
export function createSearchFunction(config: ApiConfig, trackSearch: TrackSearch, { now }: { now?: () => number } = {}): ApiHandler {
  const client = createDynamoClient({ region: config.region, endpoint: config.endpoints.dynamodb });
  return dispatch(
    searchRoutes({
      search: trackSearch,
      plays: cachedPlays(new DynamoTrackPlays(client, config.tables.home), now),
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
    }),
    accessCheckFor(config, client),
  );
}
