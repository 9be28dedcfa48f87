/*
 * "Popular tracks first among equals": the search function ranks equally good hits by the weekly
 * plays the home schedule publishes (home table, pk `popular` / sk `current`), read at most every
 * five minutes, on both search backends. A better match still comes before a more played one.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { CloudSearchTrackSearch } from '../../backend/adapters/search/cloudsearch/track-search.cloudsearch';
import { S3SnapshotStore } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { EmbeddedTrackSearch } from '../../backend/adapters/search/embedded/track-search.embedded';
import { createS3Client } from '../../backend/adapters/s3/client';
import { createSearchFunction } from '../../backend/api/search/function';
import type { ApiHandler } from '../../backend/api/types';
import type { IndexedTrack, TrackSearch } from '../../backend/domain/search';
import { apiEvent, bodyOf } from '../support/api-events';
import { startApiStack } from '../support/api-stack';
import { startCloudSearchStub, type CloudSearchStub } from '../support/cloudsearch-stub';

const track = (id: string, title: string, artist: string): IndexedTrack => ({
  id,
  title,
  artist,
  artistId: `ar_${id}`,
  album: `${artist} Album`,
  albumId: `al_${id}`,
  durationMs: 200_000,
});

// Two hits equal on relevance (the title is the query, names of one length): without plays the id
// decides, so the played one is given the later id. A third only starts with the query.
const quiet = track('tr_a_quiet', 'Nightfall', 'Aurora Lane');
const played = track('tr_b_played', 'Nightfall', 'Boris Vale');
const weaker = track('tr_c_weaker', 'Nightfall Express', 'Cora Wynn');
const FIVE_MINUTES = 5 * 60 * 1000;

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;
let stub: CloudSearchStub;

beforeAll(async () => {
  [stack, stub] = await Promise.all([startApiStack(), startCloudSearchStub()]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), stub?.close()]);
});

const backends: [string, () => Promise<TrackSearch & { close?: () => void }>][] = [
  [
    'embedded',
    async () => {
      const s3 = createS3Client({ region: stack.config.region, endpoint: stack.config.endpoints.s3 });
      return new EmbeddedTrackSearch(new S3SnapshotStore(s3, stack.config.mediaBucket), { pollMs: 60_000 });
    },
  ],
  [
    'cloudsearch',
    async () =>
      new CloudSearchTrackSearch({
        region: 'us-east-1',
        domainName: stub.domain.name,
        configEndpoint: stub.url,
        credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
      }),
  ],
];

describe.each(backends)('search popularity (%s)', (_, open) => {
  let search: ApiHandler;
  let clock = Date.parse('2026-03-02T10:00:00Z');
  const popular = { pk: 'popular', sk: 'current' };

  beforeAll(async () => {
    const index = await open();
    await index.upsert([played, weaker, quiet]);
    search = createSearchFunction(stack.config, index, { now: () => clock });
  });
  afterAll(async () => {
    const { doc, client } = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
    await doc.send(new DeleteCommand({ TableName: stack.config.tables.home, Key: popular }));
    client.destroy();
  });

  const trackIds = async () => {
    const result = await search(apiEvent('GET /search', { sub: 'listener', query: { q: 'nightfall', field: 'track' } }));
    expect(result.statusCode).toBe(200);
    return bodyOf<{ tracks: { id: string }[] }>(result).tracks.map((t) => t.id);
  };

  it('ranks the more played of two equal matches first once the weekly plays are published, read at most every 5 minutes', async () => {
    // Nothing published yet: no popularity, the equal matches in id order.
    expect(await trackIds()).toEqual([quiet.id, played.id, weaker.id]);

    const { doc, client } = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
    await doc.send(
      new PutCommand({
        TableName: stack.config.tables.home,
        Item: { ...popular, generatedAt: new Date(clock).toISOString(), trackIds: [weaker.id, played.id], plays: [900, 12] },
      }),
    );
    client.destroy();

    clock += FIVE_MINUTES - 1000;
    expect(await trackIds(), 'still the plays read less than 5 minutes ago').toEqual([quiet.id, played.id, weaker.id]);
    clock += 2000;
    // The played one first among the equals; the far more played weaker match stays behind both.
    expect(await trackIds()).toEqual([played.id, quiet.id, weaker.id]);
  });
});
