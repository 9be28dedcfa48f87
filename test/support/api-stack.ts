import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadApiConfig, type ApiConfig } from '../../backend/api/config';
import { createApiFunctions } from '../../backend/api/functions';
import { createShuffleFunction } from '../../backend/api/home/shuffle-function';
import { DynamoCatalogRepository } from '../../backend/adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { ensureTables } from '../../backend/adapters/dynamodb/create-tables';
import { createS3Client, ensureBucket } from '../../backend/adapters/s3/client';
import { S3MediaStore } from '../../backend/adapters/s3/media-store.s3';
import type { TrackRecord } from '../../backend/domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../../backend/domain/ids';
import { startEmulators } from './emulators';

/** The API functions wired to fresh tables and bucket, plus direct access to the catalog and media. */
export async function startApiStack() {
  const dir = await mkdtemp(join(tmpdir(), 'alktunes-api-'));
  const emulators = await startEmulators(dir, 'api');
  const prefix = emulators.namePrefix;
  const config: ApiConfig = loadApiConfig({
    PLAYLISTS_TABLE: `${prefix}-playlists`,
    TRACKS_TABLE: `${prefix}-tracks`,
    HOME_TABLE: `${prefix}-home`,
    REVOCATIONS_TABLE: `${prefix}-revocations`,
    LISTENING_TABLE: `${prefix}-listening`,
    MEDIA_BUCKET: `${prefix}-media`,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
  });
  const { client, doc } = createDynamoClients({ region: config.region, endpoint: config.endpoints.dynamodb });
  const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
  await ensureTables(client, config.tables);
  await ensureBucket(s3, config.mediaBucket);
  return {
    config,
    functions: createApiFunctions(config),
    shuffle: createShuffleFunction(config),
    catalog: new DynamoCatalogRepository(doc, config.tables.tracks),
    media: new S3MediaStore(s3, config.mediaBucket),
    stop: async () => {
      client.destroy();
      s3.destroy();
      await emulators.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A catalog track with stable ids derived like the import command derives them. */
export function makeTrack(
  n: number,
  overrides: Partial<Pick<TrackRecord, 'title' | 'artist' | 'album' | 'genre' | 'trackNumber' | 'discNumber' | 'year' | 'coverKey'>> = {},
): TrackRecord {
  const artist = overrides.artist ?? `Artist ${n % 3}`;
  const album = overrides.album ?? `Album ${n % 5}`;
  const contentHash = createHash('sha256').update(`track-${n}`).digest('hex');
  return {
    id: trackIdFor(contentHash),
    title: overrides.title ?? `Track ${String(n).padStart(3, '0')}`,
    artist,
    artistId: artistIdFor(artist),
    album,
    albumId: albumIdFor(artist, album),
    trackNumber: overrides.trackNumber ?? n,
    discNumber: overrides.discNumber,
    durationMs: 180_000 + n,
    genre: overrides.genre ?? ['Jazz', 'Rock', 'Folk'][n % 3],
    year: overrides.year,
    audioKey: `audio/${contentHash}.wav`,
    contentType: 'audio/wav',
    coverKey: overrides.coverKey,
    contentHash,
  };
}
