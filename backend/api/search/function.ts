import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../adapters/s3/client';
import { S3UrlSigner } from '../../adapters/s3/url-signer.s3';
import type { TrackSearch } from '../../domain/search';
import type { ApiConfig } from '../config';
import { dispatch } from '../http';
import type { ApiHandler } from '../types';
import { searchRoutes } from './handlers';

/**
 * The search Lambda: a search adapter, and S3 to presign cover URLs in hits and, for the
 * embedded index, to read its snapshots (the S3 client is built for those alone). The adapter
 * is the caller's choice, so each Lambda entry bundles only the one it deploys with.
 */
export function createSearchFunction(config: ApiConfig, trackSearch: (s3: S3Client) => TrackSearch): ApiHandler {
  const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
  return dispatch(
    searchRoutes({
      search: trackSearch(s3),
      media: new S3UrlSigner({ region: config.region, endpoint: config.endpoints.s3, bucket: config.mediaBucket }),
      urlTtlSeconds: config.streamUrlTtlSeconds,
    }),
  );
}
