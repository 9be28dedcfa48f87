import { describe, expect, it } from 'vitest';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import type { IndexedTrack } from '../../domain/search';
import { indexSyncOver } from './index-sync';
import type { SearchIndexWriter } from './search-index-writer';

const record = (id: string, albumId: string, artistId = 'ar_1'): TrackRecord => ({
  id,
  title: id,
  artist: artistId,
  artistId,
  album: albumId,
  albumId,
  durationMs: 1,
  audioKey: `audio/${id}`,
  contentType: 'audio/mpeg',
  contentHash: id,
});

/** A catalog of two albums by one artist, answering only what the sync reads. */
const stored = [record('tr_1', 'al_1'), record('tr_2', 'al_1'), record('tr_3', 'al_2')];
const catalog = {
  listArtistAlbums: async (artistId: string) =>
    [...new Set(stored.filter((t) => t.artistId === artistId).map((t) => t.albumId))].map((id) => ({
      id,
      name: id,
      artist: artistId,
      artistId,
      trackCount: 0,
    })),
  listAlbumTracks: async (albumId: string) => stored.filter((t) => t.albumId === albumId),
} as Partial<CatalogRepository> as CatalogRepository;

/** An adapter that records its upserts. */
function recordingIndex(upsertsWholeAlbums: boolean) {
  const upserts: string[][] = [];
  const index: SearchIndexWriter = {
    upsertsWholeAlbums,
    upsert: async (tracks: readonly IndexedTrack[]) => void upserts.push(tracks.map((t) => t.id).sort()),
    remove: async () => {},
    search: async () => ({ tracks: [], albums: [], artists: [], more: false }),
    suggest: async () => [],
    replaceAll: async () => {},
    publish: async () => ({ version: 'v1' }),
    hasIndex: async () => false,
    close: () => {},
  };
  return { index, upserts };
}

describe('indexSyncOver', () => {
  it('sends only the saved tracks to an index that keeps the whole catalog', async () => {
    const { index, upserts } = recordingIndex(false);
    await indexSyncOver(index, catalog).indexTracks([record('tr_1', 'al_1')]);
    expect(upserts).toEqual([['tr_1']]);
  });

  it('completes the albums and the artists’ albums for an index whose album documents carry counts', async () => {
    const { index, upserts } = recordingIndex(true);
    await indexSyncOver(index, catalog).indexTracks([record('tr_1', 'al_1')]);
    expect(upserts).toEqual([['tr_1', 'tr_2', 'tr_3']]);
  });

  it('answers with the adapter’s own publish and index state', async () => {
    const sync = indexSyncOver(recordingIndex(false).index);
    expect(await sync.publishSnapshot()).toEqual({ version: 'v1' });
    expect(await sync.hasIndex()).toBe(false);
  });
});
