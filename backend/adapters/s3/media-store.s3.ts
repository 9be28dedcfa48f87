import { AbortMultipartUploadCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { ByteSource, LargeMediaStore } from '../../domain/ports';

/** Part size of multipart uploads: above S3's 5 MiB minimum, and 10,000 parts cover 80 GiB. */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

/** Parts in flight at once: reading the next part overlaps sending this one, and memory stays near two parts. */
const PARTS_IN_FLIGHT = 2;

/** How much a large upload reads from its source at a time; `Upload` gathers the pieces into parts. */
const READ_BYTES = 1024 * 1024;

/** Writes audio and cover objects into one private bucket (`S3UrlSigner` hands out links to them). */
export class S3MediaStore implements LargeMediaStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }),
    );
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  /**
   * Uploads a large object part by part without holding it in memory. Anything that goes
   * wrong, including a failed `source.verify()`, aborts the upload so no partial object or
   * orphaned parts remain: `verify()` runs as the source's last read, before `Upload` sends
   * the last part and completes. Sources of one part or less go up in a single PUT.
   *
   * The abort is sent here rather than by `Upload`, which would throw the abort's own error
   * when that fails too (s3rver has no abort) and lose why the upload stopped.
   */
  async putSource(key: string, source: ByteSource, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: piecesOf(source), ContentType: contentType, ContentLength: source.size },
      partSize: MULTIPART_PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      if (upload.uploadId) {
        await this.s3
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: upload.uploadId }))
          .catch((abortError: unknown) => {
            if (error instanceof Error && error.cause === undefined) error.cause = abortError;
          });
      }
      throw error;
    }
  }
}

/** The source read in order, then verified, as a stream that reads one piece ahead of `Upload`, not more. */
function piecesOf(source: ByteSource): Readable {
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < source.size; offset += READ_BYTES)
      yield await source.read(offset, Math.min(READ_BYTES, source.size - offset));
    await source.verify?.();
  }
  return Readable.from(pieces(), { highWaterMark: 1 });
}
