import { GetObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Client, ensureBucket } from '../../backend/adapters/s3/client';
import { MULTIPART_PART_BYTES, S3MediaStore } from '../../backend/adapters/s3/media-store.s3';
import type { ByteSource } from '../../backend/domain/ports';
import { startS3, type RunningEmulator } from '../../backend/local/emulators';

const bucket = 'media';

/** A source over `bytes` whose `verify()` fails when `tampered`, as a file changed during its upload would. */
function sourceOf(bytes: Uint8Array, tampered = false): ByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
    verify: async () => {
      if (tampered) throw new Error('file changed during the upload');
    },
  };
}

describe('S3 media store against s3rver', () => {
  let dir: string;
  let server: RunningEmulator;
  let s3: S3Client;
  let store: S3MediaStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-media-store-'));
    server = await startS3('127.0.0.1', 0, dir);
    s3 = createS3Client({ region: 'us-east-1', endpoint: server.url });
    await ensureBucket(s3, bucket);
    store = new S3MediaStore(s3, bucket);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The S3 commands `putSource` sends, by name, and what it threw; sending part `failingPart` fails, if given. */
  async function putSource(
    key: string,
    source: ByteSource,
    contentType: string,
    failingPart?: number,
  ): Promise<{ sent: string[]; error?: unknown }> {
    const original = s3.send.bind(s3) as (command: unknown) => Promise<unknown>;
    const send = vi.spyOn(s3, 'send');
    if (failingPart !== undefined) {
      (send as unknown as { mockImplementation(f: (command: unknown) => Promise<unknown>): void }).mockImplementation(async (command) => {
        if (command instanceof UploadPartCommand && command.input.PartNumber === failingPart)
          throw new Error(`connection reset sending part ${failingPart}`);
        return original(command);
      });
    }
    try {
      const error = await store.putSource(key, source, contentType).then(
        () => undefined,
        (error: unknown) => error,
      );
      return { sent: send.mock.calls.map(([command]) => command.constructor.name), error };
    } finally {
      send.mockRestore();
    }
  }

  it('uploads a source larger than a part in parts, with its content type, and reads it back intact', async () => {
    const bytes = randomBytes(2 * MULTIPART_PART_BYTES + 1234);
    const { sent, error } = await putSource('audio/big.wav', sourceOf(bytes), 'audio/wav');
    expect(error).toBeUndefined();
    expect(sent).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'audio/big.wav' }));
    expect(object.ContentType).toBe('audio/wav');
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  });

  it('sends a source of one part or less in a single PUT', async () => {
    const bytes = randomBytes(MULTIPART_PART_BYTES);
    const { sent, error } = await putSource('audio/one.flac', sourceOf(bytes), 'audio/flac');
    expect(error).toBeUndefined();
    expect(sent).toEqual(['PutObjectCommand']);
    expect(await store.exists('audio/one.flac')).toBe(true);
  });

  it('aborts a multipart upload whose source fails verification, leaving no object', async () => {
    const { sent, error } = await putSource('audio/changed.wav', sourceOf(randomBytes(MULTIPART_PART_BYTES + 1), true), 'audio/wav');
    // s3rver answers the abort with 405; the upload still fails with the reason it was abandoned, the abort's error as its cause.
    expect(error).toMatchObject({ message: 'file changed during the upload', cause: { $metadata: { httpStatusCode: 405 } } });
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    expect(await store.exists('audio/changed.wav')).toBe(false);
  });

  it('fails with the error of a part that could not be sent, not with that of the abort after it', async () => {
    const { sent, error } = await putSource('audio/cut.wav', sourceOf(randomBytes(2 * MULTIPART_PART_BYTES + 1)), 'audio/wav', 2);
    expect(error).toMatchObject({ message: 'connection reset sending part 2', cause: { $metadata: { httpStatusCode: 405 } } });
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    expect(await store.exists('audio/cut.wav')).toBe(false);
  });

  it('writes nothing for a small source that fails verification', async () => {
    const { sent, error } = await putSource('audio/small.mp3', sourceOf(randomBytes(1000), true), 'audio/mpeg');
    expect(error).toEqual(new Error('file changed during the upload'));
    expect(sent).toEqual([]);
    expect(await store.exists('audio/small.mp3')).toBe(false);
  });
});
