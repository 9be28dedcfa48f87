import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client, ensureBucket } from '../../backend/adapters/s3/client';
import { uploadDocuments } from '../../backend/adapters/search/cloudsearch/batch-upload';
import { CloudSearchTrackSearch } from '../../backend/adapters/search/cloudsearch/track-search.cloudsearch';
import { S3SnapshotStore } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { EmbeddedTrackSearch } from '../../backend/adapters/search/embedded/track-search.embedded';
import { startCloudSearchStub, type CloudSearchStub } from '../support/cloudsearch-stub';
import { startEmulators } from '../support/emulators';
import { describeSearchContract } from '../support/search-contract';

const credentials = { accessKeyId: 'stub', secretAccessKey: 'stub' };

describeSearchContract('embedded (MiniSearch, snapshots in s3rver)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'alktunes-search-'));
  const emulators = await startEmulators(dir);
  const s3 = createS3Client({ region: 'us-east-1', endpoint: emulators.s3Endpoint });
  await ensureBucket(s3, 'search-test');
  const store = new S3SnapshotStore(s3, 'search-test');
  const writer = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
  // Queries go to a separate reader, as in production: it only sees what was published.
  const reader = new EmbeddedTrackSearch(store, { pollMs: 50 });
  return {
    search: {
      upsert: (tracks) => writer.upsert(tracks),
      remove: (ids) => writer.remove(ids),
      search: (query) => reader.search(query),
      suggest: (text, limit) => reader.suggest(text, limit),
    },
    settle: async () => {
      const pointer = await writer.publish();
      await reader.refresh();
      expect(reader.currentVersion).toBe(pointer?.version);
    },
    stop: async () => {
      writer.close();
      reader.close();
      s3.destroy();
      await emulators.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded snapshots in S3', () => {
  it('keeps the current and the previous snapshot, and a reader follows the pointer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alktunes-snapshots-'));
    const emulators = await startEmulators(dir);
    const s3 = createS3Client({ region: 'us-east-1', endpoint: emulators.s3Endpoint });
    try {
      await ensureBucket(s3, 'snapshots');
      const store = new S3SnapshotStore(s3, 'snapshots');
      const reader = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      expect(await reader.search({ text: 'anything', field: 'all', limit: 5, offset: 0 })).toMatchObject({ tracks: [] });
      const writer = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      const versions: string[] = [];
      for (const n of [1, 2, 3]) {
        await writer.upsert([{ id: `tr_${n}`, title: `Song ${n}`, artist: 'Björk', artistId: 'ar_b', album: 'Post', albumId: 'al_p', durationMs: 1 }]);
        versions.push((await writer.publish())!.version);
      }
      expect(await writer.publish()).toBeUndefined();
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: 'snapshots', Prefix: 'search-index/' }));
      expect(Contents.map((o) => o.Key).sort()).toEqual([
        'search-index/current.json',
        `search-index/index-${versions[1]}.json.gz`,
        `search-index/index-${versions[2]}.json.gz`,
      ]);
      await reader.refresh();
      expect(reader.currentVersion).toBe(versions[2]);
      expect((await reader.search({ text: 'bjork', field: 'artist', limit: 5, offset: 0 })).artists[0]).toMatchObject({ trackCount: 3 });
      reader.close();
      writer.close();
    } finally {
      s3.destroy();
      await emulators.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeSearchContract('cloudsearch (through the protocol stub)', async () => {
  const stub = await startCloudSearchStub();
  return {
    // Named, as the deployed functions see it: the endpoints come from DescribeDomains.
    search: new CloudSearchTrackSearch({ region: 'us-east-1', domainName: stub.domain.name, configEndpoint: stub.url, credentials }),
    settle: async () => {},
    stop: () => stub.close(),
  };
});

describe('CloudSearch adapter protocol', () => {
  let stub: CloudSearchStub;
  beforeAll(async () => {
    stub = await startCloudSearchStub();
  });
  afterAll(() => stub?.close());

  it('sends the 2013-01-01 requests the SDK makes, with escaped-free terms and the kind filter', async () => {
    const search = new CloudSearchTrackSearch({ region: 'us-east-1', searchEndpoint: stub.url, credentials });
    await search.search({ text: `Sigur "Rós" (live)`, field: 'all', limit: 5, offset: 0 });
    const request = stub.requests.find((r) => r.path === '/2013-01-01/search' && r.query.fq === "kind:'track'")!;
    expect(request.query).toMatchObject({ format: 'sdk', pretty: 'true', 'q.parser': 'simple', q: '(sigur | sigur~1) ros (live* | live~1)' });
    expect(JSON.parse(request.query['q.options']!)).toEqual({ fields: ['title^3', 'artist^2', 'album'], defaultOperator: 'and' });
    await search.suggest('bey', 3);
    expect(stub.requests.filter((r) => r.path === '/2013-01-01/suggest').map((r) => r.query.suggester).sort()).toEqual([
      'album_suggest',
      'artist_suggest',
      'title_suggest',
    ]);
  });

  it('looks a named domain up once, and again only after a failed lookup', async () => {
    stub.domain.state = 'creating';
    const search = new CloudSearchTrackSearch({ region: 'us-east-1', domainName: stub.domain.name, configEndpoint: stub.url, credentials });
    await expect(search.suggest('bey', 3)).rejects.toThrow(/alktunes-search has no endpoints yet: it is still being created/);
    stub.domain.state = 'active';
    const lookups = () => stub.requests.filter((r) => r.method === 'POST' && r.path === '/').length;
    const before = lookups();
    await search.suggest('bey', 3);
    await search.search({ text: 'bey', field: 'all', limit: 5, offset: 0 });
    expect(lookups() - before).toBe(1);

    const missing = new CloudSearchTrackSearch({ region: 'us-east-1', domainName: 'other-search', configEndpoint: stub.url, credentials });
    await expect(missing.suggest('bey', 3)).rejects.toThrow(/other-search does not exist in us-east-1/);
  });

  it('surfaces a SearchException as the SDK error (x-amzn-errortype)', async () => {
    const client = new CloudSearchDomainClient({ region: 'us-east-1', endpoint: stub.url, credentials });
    const { SearchCommand } = await import('@aws-sdk/client-cloudsearch-domain');
    await expect(client.send(new SearchCommand({ query: 'a)(', queryParser: 'simple' }))).rejects.toMatchObject({ name: 'SearchException' });
  });

  it('uploads in batches under the size limit and retries throttled batches', async () => {
    const client = new CloudSearchDomainClient({ region: 'us-east-1', endpoint: stub.url, credentials, maxAttempts: 1 });
    const operations = Array.from({ length: 300 }, (_, i) => ({ type: 'add' as const, id: `track:t${i}`, fields: { kind: 'track', title: 'x'.repeat(1000) } }));
    stub.throttleNextBatches(2);
    const before = stub.requests.length;
    const totals = await uploadDocuments(client, operations, { maxBytes: 100_000, baseDelayMs: 1 });
    expect(totals).toEqual({ batches: 4, adds: 300, deletes: 0 });
    expect(stub.requests.length - before).toBe(6);
    expect(stub.documents.get('track:t299')?.title).toHaveLength(1000);
  });
});
