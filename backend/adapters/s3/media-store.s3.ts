import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ByteSource, LargeMediaStore } from '../../domain/ports';

/** Part size of multipart uploads: above S3's 5 MiB minimum, and 10,000 parts cover 80 GiB. */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

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
   * Uploads a large object part by part (one part in memory at a time). Anything that goes
   * wrong, including a failed `source.verify()`, aborts the upload so no partial object or
   * orphaned parts remain. Sources smaller than one part go up in a single PUT.
   */
  async putSource(key: string, source: ByteSource, contentType: string): Promise<void> {
    if (source.size <= MULTIPART_PART_BYTES) {
      const body = await source.read(0, source.size);
      await source.verify?.();
      return this.put(key, body, contentType);
    }
    const created = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }));
    const upload = { Bucket: this.bucket, Key: key, UploadId: created.UploadId! };
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, part = 1; offset < source.size; offset += MULTIPART_PART_BYTES, part++) {
        const body = await source.read(offset, Math.min(MULTIPART_PART_BYTES, source.size - offset));
        const out = await this.s3.send(new UploadPartCommand({ ...upload, PartNumber: part, Body: body, ContentLength: body.byteLength }));
        parts.push({ ETag: out.ETag!, PartNumber: part });
      }
      await source.verify?.();
      await this.s3.send(new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.s3.send(new AbortMultipartUploadCommand(upload)).catch(() => {});
      throw error;
    }
  }
}
