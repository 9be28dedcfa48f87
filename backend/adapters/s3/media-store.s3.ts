import { HeadObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
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
   */
  async putSource(key: string, source: ByteSource, contentType: string): Promise<void> {
    const reader = new SourceReader(source);
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: reader.stream(), ContentType: contentType, ContentLength: source.size },
      partSize: MULTIPART_PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
    });
    try {
      await upload.done();
    } catch (error) {
      throw reader.failure ?? error;
    }
  }
}

/**
 * Reads a source in order, then has it verify what was read. It remembers why it failed:
 * when the abort that follows fails too (s3rver has no abort), `Upload` throws that instead.
 */
class SourceReader {
  failure: unknown;

  constructor(private readonly source: ByteSource) {}

  /** The pieces as a stream that reads one piece ahead of `Upload`, not more. */
  stream(): Readable {
    return Readable.from(this.pieces(), { highWaterMark: 1 });
  }

  private async *pieces(): AsyncGenerator<Uint8Array> {
    const { size } = this.source;
    try {
      for (let offset = 0; offset < size; offset += READ_BYTES) yield await this.source.read(offset, Math.min(READ_BYTES, size - offset));
      await this.source.verify?.();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }
}
