import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTrackSearch } from '../../backend/adapters/search/track-search';
import { albumIdFor, artistIdFor } from '../../backend/domain/ids';
import type { TrackRecord } from '../../backend/domain/catalog';
import { runImport, type ImportDeps } from '../../backend/cli/import/importer';
import { startImportTarget, writeLibrary } from '../../backend/cli/import/testing';
import { flacFile, mp3DurationMs, mp3File, pngImage, wavFile } from '../support/audio-fixtures';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const front = { mime: 'image/png', data: pngImage([200, 30, 30]) };
const album = { album: 'Été à Tōkyō', albumArtist: 'Björk & Ørjan', year: 2001, genre: 'Électronique' };

/** Two tagged albums, an untagged WAV, files that ride along with music, and two files that only pretend to be MP3s. */
function library(): Record<string, Uint8Array | string> {
  const good = mp3File({ ...album, title: 'Première', artists: ['Björk', 'Ørjan'], track: 1, cover: front }, { seed: 1 });
  return {
    'Björk/Été/01 Première.mp3': good,
    'Björk/Été/02 Deuxième.mp3': mp3File({ ...album, title: 'Deuxième — 二', artists: ['Björk'], track: 2, cover: front }, { seed: 2 }),
    'Björk/Été/03.mp3': mp3File({ ...album, title: 'Troisième', artists: ['Björk'], track: 3 }, { seed: 3 }),
    'Quartet/Live/01 Intro.flac': flacFile({ title: 'Intro', artists: ['Quartet'], album: 'Live', track: 1, year: 1999 }, { seed: 4 }),
    'Quartet/Live/02 Outro.flac': flacFile({ title: 'Outro', artists: ['Quartet'], album: 'Live', track: 2, year: 1999 }, { seed: 5 }),
    'Quartet/Live/cover.png': pngImage([0, 90, 200]),
    'Quartet/Live/notes.txt': 'recorded live',
    'Quartet/Live/catalog.json': JSON.stringify({ tracks: ['Intro', 'Outro'] }),
    'Field Recordings/Rain (2020)/07 - Forest Walk.wav': wavFile(1.5),
    'Broken/truncated.mp3': good.subarray(0, 60),
    'Broken/letter.mp3': 'Dear reader, this is not audio.\n'.repeat(40),
  };
}

describe('import command', () => {
  let dir: string;
  let env: Awaited<ReturnType<typeof startImportTarget>>;
  let indexed: TrackRecord[];
  let deps: ImportDeps;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-import-'));
    env = await startImportTarget(dir, sharedDynamoDb('import'));
  });
  afterAll(async () => {
    await env?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    vi.restoreAllMocks();
    indexed = [];
    deps = {
      ...env.deps,
      searchIndex: { description: 'test', updateSearchIndex: async (records) => void indexed.push(...records), finish: async () => {} },
    };
  });

  const contentTypeOf = async (key: string) =>
    (await env.s3.send(new HeadObjectCommand({ Bucket: env.target.bucket, Key: key }))).ContentType;

  describe('a fresh library', () => {
    let root: string;
    beforeAll(async () => {
      root = await writeLibrary(join(dir, 'fresh', 'Music'), library());
    });

    it('dry run reports what would happen and writes nothing', async () => {
      const put = vi.spyOn(deps.media, 'put');
      const save = vi.spyOn(deps.catalog, 'saveTracks');
      const summary = await runImport(deps, { root, dryRun: true, concurrency: 4 });
      expect(summary.counts).toEqual({ imported: 6, unchanged: 0, skipped: 4, failed: 0 });
      expect(put).not.toHaveBeenCalled();
      expect(save).not.toHaveBeenCalled();
      expect(indexed).toEqual([]);
      expect((await deps.catalog.listTracks({ limit: 10 })).items).toEqual([]);
    });

    it('imports playable files, skips the rest with reasons, and extracts each cover once', async () => {
      const put = vi.spyOn(deps.media, 'put');
      const summary = await runImport(deps, { root, dryRun: false, concurrency: 4, indexBatchSize: 4 });

      expect(summary.counts).toEqual({ imported: 6, unchanged: 0, skipped: 4, failed: 0 });
      expect(summary.skipped).toEqual(
        expect.arrayContaining([
          { path: 'Broken/truncated.mp3', reason: expect.stringMatching(/corrupt or truncated audio/) },
          // Named as audio, so meant as audio: a broken file worth a look, not a stray one.
          { path: 'Broken/letter.mp3', reason: expect.stringMatching(/^corrupt or truncated audio \(no audio stream/) },
          // Told apart by name (a sidecar extension) or by content (nothing music-metadata knows).
          { path: 'Quartet/Live/notes.txt', reason: 'not an audio file', quiet: true },
          { path: 'Quartet/Live/catalog.json', reason: 'not an audio file', quiet: true },
        ]),
      );
      const coverPuts = put.mock.calls.filter(([key]) => key.startsWith('covers/'));
      expect(coverPuts.map(([, , type]) => type).sort()).toEqual(['image/png', 'image/png']);
      // A track indexed before its album's cover turned up is indexed again with it.
      expect(new Set(indexed.map((t) => t.id)).size).toBe(6);

      const ete = await deps.catalog.getAlbum(albumIdFor(album.albumArtist, album.album));
      expect(ete).toMatchObject({
        name: 'Été à Tōkyō',
        year: 2001,
        genre: 'Électronique',
        trackCount: 3,
        coverKey: expect.stringMatching(/^covers\/.+\.png$/),
      });
      const tracks = await deps.catalog.listAlbumTracks(ete!.id);
      expect(tracks.map((t) => [t.trackNumber, t.title, t.artist])).toEqual([
        [1, 'Première', 'Björk, Ørjan'],
        [2, 'Deuxième — 二', 'Björk'],
        [3, 'Troisième', 'Björk'],
      ]);
      expect(tracks[0]).toMatchObject({ durationMs: mp3DurationMs(40), contentType: 'audio/mpeg', artistId: artistIdFor('Björk, Ørjan') });
      expect(new Set(tracks.map((t) => t.coverKey)).size).toBe(1);
      expect(await contentTypeOf(tracks[0]!.audioKey)).toBe('audio/mpeg');

      const live = await deps.catalog.getAlbum(albumIdFor('Quartet', 'Live'));
      expect(live).toMatchObject({ trackCount: 2, year: 1999, coverKey: expect.stringMatching(/\.png$/) });
      expect(await contentTypeOf(live!.coverKey!)).toBe('image/png');
      const [intro] = await deps.catalog.listAlbumTracks(live!.id);
      expect(intro).toMatchObject({
        title: 'Intro',
        durationMs: 2000,
        contentType: 'audio/flac',
        audioKey: expect.stringMatching(/^audio\/[0-9a-f]{64}\.flac$/),
      });

      const rain = await deps.catalog.getAlbum(albumIdFor('Field Recordings', 'Rain'));
      expect(rain).toMatchObject({ artist: 'Field Recordings', year: 2020, trackCount: 1 });
      const [walk] = await deps.catalog.listAlbumTracks(rain!.id);
      expect(walk).toMatchObject({ title: 'Forest Walk', trackNumber: 7, durationMs: 1500, contentType: 'audio/wav' });
      expect(walk!.coverKey).toBeUndefined();
      const object = await env.s3.send(new GetObjectCommand({ Bucket: env.target.bucket, Key: walk!.audioKey }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(Buffer.from(wavFile(1.5)))).toBe(true);
    });

    it('imports nothing new the second time and uploads nothing', async () => {
      const put = vi.spyOn(deps.media, 'put');
      const save = vi.spyOn(deps.catalog, 'saveTracks');
      const summary = await runImport(deps, { root, dryRun: false, concurrency: 4 });
      expect(summary.counts).toEqual({ imported: 0, unchanged: 6, skipped: 4, failed: 0 });
      expect(put).not.toHaveBeenCalled();
      expect(save).not.toHaveBeenCalled();
      expect(indexed).toEqual([]);
      expect((await deps.catalog.listTracks({ limit: 50 })).items).toHaveLength(6);
    });
  });

  it('continues an interrupted import where it stopped', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `Resume/Album/${String(i + 1).padStart(2, '0')} Song.mp3`,
        mp3File({ title: `Song ${i + 1}`, artists: ['Resumer'], album: 'Resume', track: i + 1 }, { seed: 100 + i, frames: 8 }),
      ]),
    );
    const root = await writeLibrary(join(dir, 'resume'), files);
    const controller = new AbortController();
    let seen = 0;
    const reporter = { start() {}, warn() {}, stop() {}, file: () => void (++seen === 5 && controller.abort()) };

    const first = await runImport(deps, { root, dryRun: false, concurrency: 2, signal: controller.signal, reporter });
    expect(first.interrupted).toBe(true);
    expect(first.counts.imported + first.notProcessed).toBe(12);
    expect(first.counts.imported).toBeGreaterThanOrEqual(5);
    expect(indexed).toHaveLength(first.counts.imported);

    const second = await runImport(deps, { root, dryRun: false, concurrency: 2 });
    expect(second.counts).toEqual({ imported: first.notProcessed, unchanged: first.counts.imported, skipped: 0, failed: 0 });
    expect(second.interrupted).toBe(false);
    expect(new Set(indexed.map((t) => t.id)).size).toBe(12);
    expect((await deps.catalog.getAlbum(albumIdFor('Resumer', 'Resume')))?.trackCount).toBe(12);
  });

  it("gives a track that was saved before its album's cover turned up that cover at the end", async () => {
    const late = { album: 'Late Cover', albumArtist: 'Latecomer' };
    // Read in name order one at a time: the coverless intro is saved before the song with the picture is read.
    const root = await writeLibrary(join(dir, 'late-cover'), {
      'Latecomer/Late Cover/00 Intro.mp3': mp3File({ ...late, title: 'Intro', artists: ['Latecomer'], track: 1 }, { seed: 500, frames: 8 }),
      'Latecomer/Late Cover/01 Song.mp3': mp3File(
        { ...late, title: 'Song', artists: ['Latecomer'], track: 2, cover: front },
        { seed: 501, frames: 8 },
      ),
    });
    const summary = await runImport(deps, { root, dryRun: false, concurrency: 1 });
    expect(summary).toMatchObject({ counts: { imported: 2, failed: 0 }, errors: [] });

    const albumId = albumIdFor(late.albumArtist, late.album);
    const coverKey = (await deps.catalog.getAlbum(albumId))?.coverKey;
    expect(coverKey).toMatch(/^covers\/.+\.png$/);
    const tracks = await deps.catalog.listAlbumTracks(albumId);
    expect(tracks.map((t) => [t.title, t.coverKey])).toEqual([
      ['Intro', coverKey],
      ['Song', coverKey],
    ]);
    expect(indexed.findLast((t) => t.title === 'Intro')?.coverKey).toBe(coverKey);
    expect((await deps.catalog.getAlbum(albumId))?.trackCount).toBe(2);
  });

  it('fails only the files whose catalog lookup failed, and imports them on the next run', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [
        `Lookup/Album/0${i + 1}.mp3`,
        mp3File({ title: `Looked up ${i + 1}`, artists: ['Lookup'], album: 'Lookup' }, { seed: 300 + i, frames: 8 }),
      ]),
    );
    const root = await writeLibrary(join(dir, 'lookup'), files);
    vi.spyOn(deps.catalog, 'getTracks').mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const first = await runImport(deps, { root, dryRun: false, concurrency: 1 });
    expect(first.counts).toEqual({ imported: 2, unchanged: 0, skipped: 0, failed: 1 });
    expect(first.failed[0]!.reason).toBe('ThrottlingException: Rate exceeded');

    const second = await runImport(deps, { root, dryRun: false, concurrency: 1 });
    expect(second.counts).toEqual({ imported: 1, unchanged: 2, skipped: 0, failed: 0 });
  });

  it('uploads large files in parts and reads them back intact', async () => {
    const big = wavFile(1100); // ~17.6 MB at 8 kHz: above the in-memory limit, three 8 MiB parts
    const root = await writeLibrary(join(dir, 'large'), { 'Long/Drone.wav': big });
    const putSource = vi.spyOn(deps.media, 'putSource');
    const summary = await runImport(deps, { root, dryRun: false, concurrency: 1 });
    expect(summary.counts.imported).toBe(1);
    expect(putSource).toHaveBeenCalledOnce();
    const [track] = indexed;
    expect(track).toMatchObject({ durationMs: 1_100_000, contentType: 'audio/wav' });
    const object = await env.s3.send(new GetObjectCommand({ Bucket: env.target.bucket, Key: track!.audioKey }));
    expect(object.ContentType).toBe('audio/wav');
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(Buffer.from(big))).toBe(true);
  });

  it('imports the same recording once when the library holds two copies', async () => {
    const song = mp3File({ title: 'Twice', artists: ['Copy'], album: 'Copies' }, { seed: 900 });
    const root = await writeLibrary(join(dir, 'copies'), { 'a/Twice.mp3': song, 'b/Twice (copy).mp3': song });
    const summary = await runImport(deps, { root, dryRun: false, concurrency: 2 });
    expect(summary.counts).toMatchObject({ imported: 1, skipped: 1 });
    expect(summary.skipped[0]!.reason).toMatch(/same audio/);
  });

  it('makes imported tracks searchable through the configured search index', async () => {
    const root = await writeLibrary(join(dir, 'searchable'), {
      'Zoë Keating/Into the Trees/01 Optimist.mp3': mp3File(
        { title: 'Optimist', artists: ['Zoë Keating'], album: 'Into the Trees' },
        { seed: 700 },
      ),
    });
    const summary = await runImport(env.deps, { root, dryRun: false, concurrency: 2 });
    expect(summary).toMatchObject({ counts: { imported: 1 }, errors: [] });

    const search = createTrackSearch({ backend: 'embedded' }, { region: env.target.region, s3: env.s3, bucket: env.target.bucket });
    const results = await search.search({ text: 'optimist', field: 'all', limit: 5, offset: 0 });
    expect(results.tracks.map((t) => [t.title, t.artist])).toEqual([['Optimist', 'Zoë Keating']]);
    (search as { close?: () => void }).close?.();
  });
});
