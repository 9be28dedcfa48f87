import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client, ensureBucket } from '../../backend/adapters/s3/client';
import { uploadDocuments } from '../../backend/adapters/search/cloudsearch/batch-upload';
import { CloudSearchTrackSearch } from '../../backend/adapters/search/cloudsearch/track-search.cloudsearch';
import { S3SnapshotStore } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { EmbeddedTrackSearch } from '../../backend/adapters/search/embedded/track-search.embedded';
import { startCloudSearchStub, type CloudSearchStub } from '../support/cloudsearch-stub';
import { startEmulators } from '../support/emulators';
import { describeSearchContract } from '../support/search-contract';
import type { IndexedTrack } from '../../backend/domain/search';
import { MAX_QUERY_LENGTH } from '../../shared/api';

const credentials = { accessKeyId: 'stub', secretAccessKey: 'stub' };

type SnapshotBucket = Awaited<ReturnType<typeof openSnapshotBucket>>;

/** A fresh s3rver (data in a temp dir) with one empty bucket, and the snapshot store over it. */
async function openSnapshotBucket() {
  const dir = await mkdtemp(join(tmpdir(), 'alktunes-snapshots-'));
  const emulators = await startEmulators(dir);
  const s3 = createS3Client({ region: 'us-east-1', endpoint: emulators.s3Endpoint });
  const bucket = 'snapshots';
  let running = true;
  /** Stops the s3rver, once (a test may stop it early to see how readers cope). */
  const stopS3 = async () => {
    if (running) await emulators.stop();
    running = false;
  };
  const close = async () => {
    s3.destroy();
    await stopS3();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ensureBucket(s3, bucket);
  } catch (error) {
    await close();
    throw error;
  }
  return { s3, bucket, store: new S3SnapshotStore(s3, bucket), stopS3, close };
}

/** Runs `fn` against a fresh snapshot bucket, and cleans up however it ends. */
async function withSnapshotBucket(fn: (bucket: SnapshotBucket) => Promise<void>): Promise<void> {
  const bucket = await openSnapshotBucket();
  try {
    await fn(bucket);
  } finally {
    await bucket.close();
  }
}

describeSearchContract('embedded (in-memory index, snapshots in s3rver)', async () => {
  const { store, close } = await openSnapshotBucket();
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
      await close();
    },
  };
});

describe('embedded snapshots in S3', () => {
  it('keeps the current and the previous snapshot, and a reader follows the pointer', () =>
    withSnapshotBucket(async ({ s3, bucket, store }) => {
      const reader = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      expect(await reader.search({ text: 'anything', field: 'all', limit: 5, offset: 0 })).toMatchObject({ tracks: [] });
      const writer = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      const versions: string[] = [];
      for (const n of [1, 2, 3]) {
        await writer.upsert([
          { id: `tr_${n}`, title: `Song ${n}`, artist: 'Björk', artistId: 'ar_b', album: 'Post', albumId: 'al_p', durationMs: 1 },
        ]);
        versions.push((await writer.publish())!.version);
      }
      expect(await writer.publish()).toBeUndefined();
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'search-index/' }));
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
    }));

  it('serves a snapshot of the first format, and publishes the compact format over it', () =>
    withSnapshotBucket(async ({ s3, bucket, store }) => {
      const titles = ['Jóga', 'Hunter', 'Bachelorette'];
      const björk = (n: number): IndexedTrack => ({
        id: `tr_${n}`,
        title: titles[n - 1]!,
        artist: 'Björk',
        artistId: 'ar_b',
        album: 'Homogenic',
        albumId: 'al_h',
        durationMs: 1,
      });
      // As an earlier version published it: the tracks only.
      const old = await store.publish({ format: 1, tracks: [björk(1), björk(2)] });
      const reader = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      expect((await reader.search({ text: 'huntre', field: 'track', limit: 5, offset: 0 })).tracks.map((t) => t.id)).toEqual(['tr_2']);
      expect(reader.currentVersion).toBe(old.version);

      const writer = new EmbeddedTrackSearch(store, { pollMs: 60_000 });
      await writer.upsert([björk(3)]);
      const pointer = (await writer.publish())!;
      expect(pointer).toMatchObject({ format: 2, trackCount: 3 });
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: pointer.key }));
      const json = gunzipSync(await Body!.transformToByteArray());
      // All ASCII (accents escaped), so a cold reader decodes it as one-byte text.
      expect(json.every((byte) => byte < 0x80)).toBe(true);
      await reader.refresh();
      expect((await reader.search({ text: 'bjork', field: 'artist', limit: 5, offset: 0 })).artists[0]).toMatchObject({
        name: 'Björk',
        trackCount: 3,
      });
      reader.close();
      writer.close();
    }));

  it('stops polling for snapshots when its host shuts down', () =>
    withSnapshotBucket(async ({ store, stopS3 }) => {
      const shutdown = new AbortController();
      const logged: Record<string, unknown>[] = [];
      const reader = new EmbeddedTrackSearch(store, { pollMs: 20, signal: shutdown.signal, log: (entry) => logged.push(entry) });
      await reader.search({ text: 'anything', field: 'all', limit: 5, offset: 0 });
      shutdown.abort();
      await stopS3();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(logged.filter((entry) => entry.level !== 'info')).toEqual([]);
    }));
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
    expect(request.query).toMatchObject({
      format: 'sdk',
      pretty: 'true',
      'q.parser': 'simple',
      q: '(sigur | sigur~1 | isgur | sgiur | siugr | sigru) ros (live | live* | live~1 | ilve | lvie | liev)',
      size: '100',
      start: '0',
    });
    expect(JSON.parse(request.query['q.options']!)).toEqual({
      fields: ['title_words^3', 'artist_words^2', 'album_words'],
      defaultOperator: 'and',
    });
    await search.suggest('bey', 3);
    expect(
      stub.requests
        .filter((r) => r.path === '/2013-01-01/suggest')
        .map((r) => r.query.suggester)
        .sort(),
    ).toEqual(['album_suggest', 'artist_suggest', 'title_suggest']);
  });

  describe('typo tolerance and fallbacks', () => {
    const search = () => new CloudSearchTrackSearch({ region: 'us-east-1', searchEndpoint: stub.url, credentials });
    const track = (id: string, title: string, artist: string, album: string): IndexedTrack => ({
      id,
      title,
      artist,
      artistId: `ar_${artist.toLowerCase().replace(/\W/g, '')}`,
      album,
      albumId: `al_${album.toLowerCase().replace(/\W/g, '')}`,
      durationMs: 1000,
    });
    /** The searches sent since `from`, as `<defaultOperator> <q>`, one per kind asked. */
    const searchesSince = (from: number) =>
      stub.requests
        .slice(from)
        .filter((r) => r.path === '/2013-01-01/search')
        .map((r) => `${(JSON.parse(r.query['q.options']!) as { defaultOperator: string }).defaultOperator} ${r.query.q}`);

    beforeAll(async () => {
      await search().upsert([
        track('tr_hours', 'Small Hours', 'Vieh', 'Harbour Lights'),
        track('tr_sun', 'Midnight Sun', 'Vieh', 'Harbour Lights'),
        track('tr_talk', 'Small Talk', 'Quiet Rooms', 'Chatter'),
      ]);
    });

    it('finds a transposed word through its swapped variant, in the first request', async () => {
      const before = stub.requests.length;
      const results = await search().search({ text: 'Smlal Hours', field: 'all', limit: 5, offset: 0 });
      const and = 'and (smlal | smlal~1 | mslal | slmal | small | smlla) (hours | hours* | hours~1 | ohurs | huors | horus | housr)';
      // A track matches both words: albums and artists matching one would not be shown, so they are not asked for it.
      expect(searchesSince(before)).toEqual([and, and, and]);
      expect(results.tracks.map((t) => t.id)).toEqual(['tr_hours']);
      expect(results).toMatchObject({ didYouMean: 'Small Hours', top: { kind: 'track', id: 'tr_hours' } });
    });

    it('falls back to items matching the most words when none matches them all', async () => {
      const before = stub.requests.length;
      const results = await search().search({ text: 'Harbour Lights Xyzzy', field: 'all', limit: 5, offset: 0 });
      const sent = searchesSince(before);
      expect(sent.map((s) => s.split(' ')[0])).toEqual(['and', 'and', 'and', 'or', 'or', 'or']);
      // The same words each time: only how they combine changes.
      expect(new Set(sent.map((s) => s.slice(s.indexOf(' ') + 1))).size).toBe(1);
      expect(sent[0]).toContain('(xyzzy | xyzzy* | xyzzy~1 |');
      expect(results.albums.map((a) => a.name)).toEqual(['Harbour Lights']);
      expect(results.tracks.map((t) => t.id).sort()).toEqual(['tr_hours', 'tr_sun']);
      // Not every word matched: no album is named by the query, so the best track leads; the
      // suggestion is its matched words, spelled as the album displays them.
      expect(results.didYouMean).toBe('Harbour Lights');
      expect(results.top?.kind).toBe('track');
    });

    it('asks again with one edit on short words when nothing matches them exactly', async () => {
      const before = stub.requests.length;
      const results = await search().search({ text: 'Vih', field: 'all', limit: 5, offset: 0 });
      const sent = searchesSince(before);
      const exact = 'and (vih | vih*)';
      const loose = 'and (vih | vih* | vih~1 | ivh | vhi)';
      expect(sent).toEqual([exact, exact, exact, loose, loose, loose]);
      expect(results.artists.map((a) => a.name)).toEqual(['Vieh']);
      expect(results).toMatchObject({ didYouMean: 'Vieh', top: { kind: 'artist', id: 'ar_vieh' } });
    });

    it('shows only the kinds matching the most words', async () => {
      await search().upsert([
        track('tr_thunder', 'Thunder Road', 'Bruce Springsteen', 'Born to Run'),
        track('tr_drive', 'Drive', 'Quiet Rooms', 'Road Trip'),
      ]);
      const before = stub.requests.length;
      const results = await search().search({ text: 'Thunder Road', field: 'all', limit: 5, offset: 0 });
      expect(searchesSince(before).map((s) => s.split(' ')[0])).toEqual(['and', 'and', 'and']);
      expect(results.tracks.map((t) => t.id)).toEqual(['tr_thunder']);
      // "Road Trip" matches one word: not listed while a track matches both.
      expect(results.albums).toEqual([]);
      expect(results.top).toEqual({ kind: 'track', id: 'tr_thunder' });
    });

    it('pages through the hits without repeating or skipping one', async () => {
      const words = ['Me Do', 'Will Tear Us Apart', 'Is a Battlefield', 'Shack', 'Buzz', 'Train', 'Cats', 'Is Strange', 'Song', 'Again'];
      const loves = Array.from({ length: 45 }, (_, i) =>
        track(`tr_love${String(i).padStart(2, '0')}`, `Love ${words[i % words.length]} ${i}`, `Lover ${i % 7}`, `Loveless ${i % 5}`),
      );
      await search().upsert(loves);
      const page = (offset: number, limit: number) => search().search({ text: 'love', field: 'track', limit, offset });
      const pages = [await page(0, 20), await page(20, 20), await page(40, 20)];
      const paged = pages.flatMap((p) => p.tracks.map((t) => t.id));
      expect(pages.map((p) => p.more)).toEqual([true, true, false]);
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual((await page(0, 45)).tracks.map((t) => t.id));
      expect([...paged].sort()).toEqual(loves.map((t) => t.id));
    });

    it('gives "did you mean" and the top result on the first page only', async () => {
      const second = await search().search({ text: 'Smlal Hours', field: 'all', limit: 5, offset: 5 });
      expect(second).not.toHaveProperty('didYouMean');
      expect(second).not.toHaveProperty('top');
    });
  });

  it('scores a rare word above a common one in the stub, so partial matches are not flattered', async () => {
    const own = await startCloudSearchStub();
    try {
      const client = new CloudSearchDomainClient({ region: 'us-east-1', endpoint: own.url, credentials });
      const doc = (id: string, words: string) => ({ type: 'add' as const, id, fields: { kind: 'track', title_words: words } });
      const common = Array.from({ length: 30 }, (_, i) => doc(`track:love${i}`, 'love song'));
      await uploadDocuments(client, [...common, doc('track:rare', 'zebra crossing at night now')]);
      const { SearchCommand } = await import('@aws-sdk/client-cloudsearch-domain');
      const out = await client.send(
        new SearchCommand({
          query: '(love | love~1) zebra',
          queryParser: 'simple',
          queryOptions: JSON.stringify({ fields: ['title_words'], defaultOperator: 'or' }),
        }),
      );
      // Each matches one word of two, and the short titles weigh more; the rare word still wins.
      expect(out.hits?.hit?.[0]?.id).toBe('track:rare');
    } finally {
      await own.close();
    }
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
    await expect(client.send(new SearchCommand({ query: 'a)(', queryParser: 'simple' }))).rejects.toMatchObject({
      name: 'SearchException',
    });
  });

  it('keeps the longest query a person can type under the GET size a domain accepts', async () => {
    const client = new CloudSearchDomainClient({ region: 'us-east-1', endpoint: stub.url, credentials, maxAttempts: 1 });
    const { SearchCommand } = await import('@aws-sdk/client-cloudsearch-domain');
    await expect(client.send(new SearchCommand({ query: 'ж'.repeat(1400), queryParser: 'simple' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 413 },
    });
    const search = new CloudSearchTrackSearch({ region: 'us-east-1', searchEndpoint: stub.url, credentials });
    const longest = Array.from({ length: 8 }, () => 'достопримечательность')
      .join(' ')
      .slice(0, MAX_QUERY_LENGTH);
    await expect(search.search({ text: longest, field: 'all', limit: 5, offset: 0 })).resolves.toMatchObject({ tracks: [] });
  });

  it('uploads in batches under the size limit and retries throttled batches', async () => {
    const client = new CloudSearchDomainClient({ region: 'us-east-1', endpoint: stub.url, credentials, maxAttempts: 1 });
    const operations = Array.from({ length: 300 }, (_, i) => ({
      type: 'add' as const,
      id: `track:t${i}`,
      fields: { kind: 'track', title: 'x'.repeat(1000) },
    }));
    stub.throttleNextBatches(2);
    const before = stub.requests.length;
    const totals = await uploadDocuments(client, operations, { maxBytes: 100_000, baseDelayMs: 1 });
    expect(totals).toEqual({ batches: 4, adds: 300, deletes: 0 });
    expect(stub.requests.length - before).toBe(6);
    expect(stub.documents.get('track:t299')?.title).toHaveLength(1000);
  });
});
