import { gzipSync } from 'node:zlib';
import { NoSuchKey, type GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from './catalog-index';
import { S3SnapshotStore, type SnapshotPointer } from './snapshot-store.s3';
import { EmbeddedTrackSearch } from './track-search.embedded';

interface HeldRequest {
  key: string;
  signal: AbortSignal | undefined;
  answer(body: Buffer): void;
  fail(error: unknown): void;
}

/** An S3 client whose requests wait until the test fails them, and give up when their abort signal fires, as the SDK's do. */
function heldS3() {
  const requests: HeldRequest[] = [];
  const send = (command: GetObjectCommand, options?: { abortSignal?: AbortSignal }) =>
    new Promise((resolve, reject) => {
      const signal = options?.abortSignal;
      const answer = (body: Buffer) => resolve({ Body: { transformToByteArray: async () => new Uint8Array(body) } });
      requests.push({ key: command.input.Key!, signal, answer, fail: reject });
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { s3: { send } as unknown as S3Client, requests };
}

const nothingPublished = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
const anything = { text: 'anything', field: 'all', limit: 5, offset: 0 } as const;

describe('EmbeddedTrackSearch.refresh', () => {
  it('checks the pointer anew when a background refresh that read it earlier is still under way', async () => {
    const { s3, requests } = heldS3();
    let clock = 0;
    const store = new S3SnapshotStore(s3, 'media');
    const search = new EmbeddedTrackSearch(store, { pollMs: 1000, now: () => clock });
    const first = search.search(anything);
    await expect.poll(() => requests.length).toBe(1);
    requests[0]!.fail(nothingPublished());
    await first;
    clock += 1000;
    await search.search(anything);
    expect(requests).toHaveLength(2);

    // A writer publishes now and asks for a refresh, while the background one's read is still on its way back.
    const asked = search.refresh();
    requests[1]!.fail(nothingPublished());
    await expect.poll(() => requests.length).toBe(3);
    const pointer: SnapshotPointer = { version: 'v2', key: 'search-index/index-v2.json.gz', trackCount: 0, bytes: 0, publishedAt: '' };
    requests[2]!.answer(Buffer.from(JSON.stringify(pointer)));
    await expect.poll(() => requests.length).toBe(4);
    expect(requests[3]!.key).toBe(pointer.key);
    requests[3]!.answer(gzipSync(JSON.stringify(CatalogIndex.empty().toSnapshot())));
    await asked;
    expect(search.currentVersion).toBe('v2');
    await search.close();
  });
});

describe('EmbeddedTrackSearch.close', () => {
  it('cancels a refresh already under way, so a bucket stopped after it is never reached', async () => {
    const { s3, requests } = heldS3();
    let clock = 0;
    const logged: Record<string, unknown>[] = [];
    const store = new S3SnapshotStore(s3, 'media');
    const search = new EmbeddedTrackSearch(store, { pollMs: 1000, now: () => clock, log: (entry) => logged.push(entry) });

    const first = search.search(anything);
    await expect.poll(() => requests.length).toBe(1);
    requests[0]!.fail(nothingPublished());
    await first;

    // A query once `pollMs` has passed starts a refresh in the background; the host shuts down while it waits on S3.
    clock += 1000;
    await search.search(anything);
    expect(requests.map((request) => request.key)).toEqual([store.pointerKey, store.pointerKey]);
    const underWay = requests[1]!;

    await search.close();
    expect(underWay.signal?.aborted).toBe(true);
    underWay.fail(new Error('connect ECONNREFUSED 127.0.0.1:4569'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(logged.filter((entry) => entry.level !== 'info')).toEqual([]);

    // Closed, it still answers from memory, and asks S3 nothing more.
    clock += 5000;
    await search.search(anything);
    expect(requests).toHaveLength(2);
  });
});
