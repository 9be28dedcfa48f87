import { CreateBucketCommand, HeadBucketCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS } from './local-credentials';

export interface S3ClientOptions {
  region: string;
  /** A local stand-in such as s3rver; absent in the cloud. */
  endpoint?: string;
}

/**
 * Builds the S3 client; call once per process. Checksums only when required: with the SDK
 * defaults s3rver stores streamed uploads with aws-chunked framing, and presigned PUT URLs
 * would demand a checksum header browsers do not send.
 */
export function createS3Client({ region, endpoint }: S3ClientOptions): S3Client {
  return new S3Client({
    region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          credentials: LOCAL_S3_CREDENTIALS,
        }
      : {}),
  });
}

/** Creates the bucket unless it exists already; idempotent. */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (error) {
    const missing = error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
    if (!missing) throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    const code = error instanceof Error ? error.name : '';
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
  }
}
