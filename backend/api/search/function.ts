import type { TrackSearch } from '../../domain/search';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import { urlSignerFor } from '../media-url-signer';
import { accessCheckFor } from '../access-check';
import type { ApiHandler } from '../types';
import { searchRoutes } from './handlers';

/**
 * The search Lambda: a search adapter, and the media bucket's signer for cover URLs in hits.
 * The adapter is built by the caller, so each Lambda entry bundles only the one it deploys with
 * (and only the embedded one, which reads its snapshots from S3, brings the S3 client). Its only
 * DynamoDB client is the low-level one the revocation check reads with.
 */
export function createSearchFunction(config: ApiConfig, trackSearch: TrackSearch): ApiHandler {
  return dispatch(
    searchRoutes({
      search: trackSearch,
      media: urlSignerFor(config),
      urlTtlSeconds: config.streamUrlTtlSeconds,
    }),
    accessCheckFor(config),
  );
}
