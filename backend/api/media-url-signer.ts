import { S3UrlSigner } from '../adapters/s3/url-signer.s3';
import type { MediaUrlSigner } from '../domain/ports';
import type { ApiConfig } from './config';

/** The signer of the media bucket's cover and stream URLs, as every API function presigns them. */
export function urlSignerFor(config: ApiConfig): MediaUrlSigner {
  return new S3UrlSigner({ region: config.region, endpoint: config.endpoints.s3, bucket: config.mediaBucket });
}
