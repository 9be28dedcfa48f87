import { fromEnv } from '@aws-sdk/credential-provider-env';
import { isVirtualHostableS3Bucket, partition } from '@aws-sdk/core/client';
import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import type { MediaUrlSigner } from '../../domain/ports';
import type { S3ClientOptions } from './client';
import { LOCAL_S3_CREDENTIALS } from './local-credentials';

export interface S3UrlSignerOptions extends S3ClientOptions {
  bucket: string;
  /** The signing clock; the current time unless a test pins it. */
  now?: () => Date;
}

/** Where requests for the bucket go: scheme, host, port and the path the object key follows. */
interface BucketOrigin {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

/**
 * The origin `createS3Client` resolves for GetObject: path style on a local stand-in; on AWS
 * virtual-hosted style, or path style when the bucket name cannot be a TLS host label (dots,
 * upper case), as the S3 endpoint rules decide.
 */
function bucketOrigin(region: string, bucket: string, endpoint: string | undefined): BucketOrigin {
  const bucketPath = `/${extendedEncodeURIComponent(bucket)}`;
  if (endpoint) {
    const url = new URL(endpoint);
    return {
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname.replace(/\/$/, '') + bucketPath,
    };
  }
  const host = `s3.${region}.${partition(region).dnsSuffix}`;
  return isVirtualHostableS3Bucket(bucket, false)
    ? { protocol: 'https:', hostname: `${bucket}.${host}`, path: '' }
    : { protocol: 'https:', hostname: host, path: bucketPath };
}

/**
 * Presigns GET URLs of the media bucket without the S3 client, whose import is most of a cold
 * start for functions that only hand out links. The URLs are those `getSignedUrl` gives for a
 * `GetObjectCommand` on `createS3Client` with the same options, byte for byte (the spec holds it
 * to that). Credentials come from the environment, where the Lambda runtime puts the role's;
 * a local stand-in gets its fixed pair, as from `createS3Client`. FIPS, dual-stack and
 * accelerate endpoints are not used here and not produced.
 */
export class S3UrlSigner implements MediaUrlSigner {
  private readonly presigner: S3RequestPresigner;
  private readonly origin: BucketOrigin;
  private readonly now: () => Date;

  constructor({ region, endpoint, bucket, now = () => new Date() }: S3UrlSignerOptions) {
    this.origin = bucketOrigin(region, bucket, endpoint);
    this.now = now;
    this.presigner = new S3RequestPresigner({
      region,
      credentials: endpoint ? LOCAL_S3_CREDENTIALS : fromEnv(),
      sha256: Sha256,
    });
  }

  async signedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    const { protocol, hostname, port, path } = this.origin;
    const request = new HttpRequest({
      method: 'GET',
      protocol,
      hostname,
      port,
      // A key's slashes stay path separators, as the client serializes its `{Key+}` label.
      path: `${path}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`,
      query: { 'x-id': 'GetObject' },
      headers: {},
    });
    const signed = await this.presigner.presign(request, { expiresIn: expiresInSeconds, signingDate: this.now() });
    return formatUrl(signed);
  }
}
