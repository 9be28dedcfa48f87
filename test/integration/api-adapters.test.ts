import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiFunctions } from '../../backend/api/functions';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { createTableInput, ensureTables } from '../../backend/adapters/dynamodb/create-tables';
import { playlistsTable, tables, tracksTable } from '../../backend/adapters/dynamodb/tables';
import { createS3Client, ensureBucket } from '../../backend/adapters/s3/client';
import { albumIdFor, artistIdFor } from '../../backend/domain/ids';
import { logger } from '../../backend/lambda-runtime/logger';
import { apiEvent, bodyOf } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(() => stack?.stop());

describe('table and bucket bootstrap', () => {
  it('builds CreateTable input with every key attribute and index', () => {
    const input = createTableInput(playlistsTable, 'x-playlists');
    expect(input.AttributeDefinitions?.map((a) => a.AttributeName).sort()).toEqual(['pk', 'rank', 'sk']);
    expect(input.LocalSecondaryIndexes?.[0]?.IndexName).toBe('byRank');
    expect(createTableInput(tracksTable, 't').GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['gsi1', 'gsi2']);
  });

  it('is idempotent', async () => {
    const { config } = stack;
    const { client } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    await Promise.all([ensureTables(client, config.tables), ensureTables(client, config.tables)]);
    await ensureBucket(s3, config.mediaBucket);
    const table = await client.send(new DescribeTableCommand({ TableName: config.tables.tracks }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    client.destroy();
    s3.destroy();
  });

  it('turns TTL on where a table defines an expiry attribute, as the deployed tables have it', async () => {
    const { config } = stack;
    const { client } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
    // New tables, bootstrapped twice at once: the second must not trip over the first's TTL update.
    const names = Object.fromEntries(tables.map((def) => [def.id, `${config.tables[def.id]}-ttl`])) as typeof config.tables;
    await Promise.all([ensureTables(client, names), ensureTables(client, names)]);
    for (const def of tables) {
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: names[def.id] }));
      expect(TimeToLiveDescription, def.id).toEqual(
        def.timeToLiveAttribute
          ? { TimeToLiveStatus: 'ENABLED', AttributeName: def.timeToLiveAttribute }
          : { TimeToLiveStatus: 'DISABLED' },
      );
    }

    client.destroy();
  });
});

describe('catalog repository', () => {
  it('moves counts when a track changes album and artist', async () => {
    const track = makeTrack(900, { artist: 'Mover', album: 'First' });
    await stack.catalog.saveTrack(track);
    await stack.catalog.saveTrack(makeTrack(901, { artist: 'Mover', album: 'First' }));
    const moved = { ...track, artist: 'Other', artistId: artistIdFor('Other'), album: 'Second', albumId: albumIdFor('Other', 'Second') };
    await stack.catalog.saveTrack(moved);
    await stack.catalog.saveTrack(moved);

    expect(await stack.catalog.getAlbum(track.albumId)).toMatchObject({ trackCount: 1 });
    expect(await stack.catalog.getAlbum(moved.albumId)).toMatchObject({ trackCount: 1, artist: 'Other' });
    expect(await stack.catalog.getArtist(track.artistId)).toMatchObject({ trackCount: 1, albumCount: 1 });
    expect(await stack.catalog.getArtist(moved.artistId)).toMatchObject({ trackCount: 1, albumCount: 1 });
    expect((await stack.catalog.getTrack(track.id))?.album).toBe('Second');
  });

  it('reads more than 100 tracks by id in chunks, keeping the order asked', async () => {
    const many = Array.from({ length: 130 }, (_, i) => makeTrack(1000 + i));
    await Promise.all(many.map((t) => stack.catalog.saveTrack(t)));
    const ids = many.map((t) => t.id).reverse();
    expect((await stack.catalog.getTracks(ids)).map((t) => t.id)).toEqual(ids);
    expect(await stack.catalog.listAllTrackIds()).toEqual(expect.arrayContaining(ids));
  });
});

describe('when DynamoDB is unreachable', () => {
  it('answers 503 with a stable body and no SDK details', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    const functions = createApiFunctions({ ...stack.config, endpoints: { ...stack.config.endpoints, dynamodb: 'http://127.0.0.1:9' } });
    const res = await functions.playlists(apiEvent('GET /playlists', { sub: 'u' }));
    expect(res.statusCode).toBe(503);
    expect(bodyOf(res)).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    vi.restoreAllMocks();
  });
});
