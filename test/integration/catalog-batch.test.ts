import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackRecord } from '../../backend/domain/catalog';
import { albumIdFor, artistIdFor } from '../../backend/domain/ids';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(() => stack?.stop());

/** `count` tracks numbered from `from`, all on `album` by `artist`. */
const tracksOf = (from: number, count: number, artist: string, album: string) =>
  Array.from({ length: count }, (_, i) => makeTrack(from + i, { artist, album }));

const moveTo = (track: TrackRecord, artist: string, album: string): TrackRecord => ({
  ...track,
  artist,
  artistId: artistIdFor(artist),
  album,
  albumId: albumIdFor(artist, album),
});

async function counts(artist: string, albums: string[]) {
  const artistRow = await stack.catalog.getArtist(artistIdFor(artist));
  const albumRows = await Promise.all(albums.map((album) => stack.catalog.getAlbum(albumIdFor(artist, album))));
  return {
    artist: artistRow && { tracks: artistRow.trackCount, albums: artistRow.albumCount },
    albums: albumRows.map((a) => a?.trackCount),
  };
}

describe('CatalogRepository.saveTracks', () => {
  it('counts a batch of several albums and artists', async () => {
    const batch = [
      ...tracksOf(2000, 30, 'Batch A', 'One'),
      ...tracksOf(2100, 12, 'Batch A', 'Two'),
      ...tracksOf(2200, 5, 'Batch B', 'Solo'),
    ];
    await stack.catalog.saveTracks(batch);

    expect(await counts('Batch A', ['One', 'Two'])).toEqual({ artist: { tracks: 42, albums: 2 }, albums: [30, 12] });
    expect(await counts('Batch B', ['Solo'])).toEqual({ artist: { tracks: 5, albums: 1 }, albums: [5] });
    expect(await stack.catalog.listAlbumTracks(albumIdFor('Batch A', 'Two'))).toHaveLength(12);
    expect(await stack.catalog.getAlbum(albumIdFor('Batch A', 'One'))).toMatchObject({ name: 'One', artist: 'Batch A' });
    expect(await stack.catalog.getArtist(artistIdFor('Batch B'))).toMatchObject({ name: 'Batch B' });
  });

  it('does not double-count when the same tracks are saved again, alone or in batches', async () => {
    const batch = tracksOf(2300, 20, 'Again', 'Same');
    await stack.catalog.saveTracks(batch);
    await stack.catalog.saveTracks(batch);
    await stack.catalog.saveTracks([...batch, ...batch.slice(0, 3)]);
    for (const track of batch.slice(0, 5)) await stack.catalog.saveTrack(track);
    expect(await counts('Again', ['Same'])).toEqual({ artist: { tracks: 20, albums: 1 }, albums: [20] });
  });

  it('adds up two batches of the same album, written one after the other and concurrently', async () => {
    await stack.catalog.saveTracks(tracksOf(2400, 25, 'Halves', 'Whole'));
    await stack.catalog.saveTracks(tracksOf(2425, 25, 'Halves', 'Whole'));
    expect(await counts('Halves', ['Whole'])).toEqual({ artist: { tracks: 50, albums: 1 }, albums: [50] });

    const parts = Array.from({ length: 6 }, (_, i) => tracksOf(2500 + i * 10, 10, 'Racers', 'Photo Finish'));
    await Promise.all(parts.map((part) => stack.catalog.saveTracks(part)));
    await Promise.all(parts.flat().map((track) => stack.catalog.saveTrack(track)));
    expect(await counts('Racers', ['Photo Finish'])).toEqual({ artist: { tracks: 60, albums: 1 }, albums: [60] });
  });

  it('moves counts when tracks change album and artist within a batch', async () => {
    const original = tracksOf(2600, 10, 'Origin', 'Left');
    await stack.catalog.saveTracks(original);
    const moved = original.slice(0, 4).map((t) => moveTo(t, 'Destination', 'Right'));
    await stack.catalog.saveTracks([...moved, ...tracksOf(2700, 2, 'Destination', 'Right')]);
    await stack.catalog.saveTracks(moved);

    expect(await counts('Origin', ['Left'])).toEqual({ artist: { tracks: 6, albums: 1 }, albums: [6] });
    expect(await counts('Destination', ['Right'])).toEqual({ artist: { tracks: 6, albums: 1 }, albums: [6] });

    // Moving everything away leaves the old album empty and no longer counted for its artist.
    await stack.catalog.saveTracks(original.slice(4).map((t) => moveTo(t, 'Destination', 'Right')));
    expect(await counts('Origin', ['Left'])).toEqual({ artist: { tracks: 0, albums: 0 }, albums: [0] });
    expect(await counts('Destination', ['Right'])).toEqual({ artist: { tracks: 12, albums: 1 }, albums: [12] });
    expect((await stack.catalog.getTrack(original[9]!.id))?.album).toBe('Right');
  });

  it('counts an artist across albums owned by others (tracks on a shared album)', async () => {
    const shared = albumIdFor('Host', 'Shared');
    const host = makeTrack(2800, { artist: 'Host', album: 'Shared' });
    const guest = { ...makeTrack(2801, { artist: 'Guest', album: 'Own' }), album: 'Shared', albumId: shared };
    await stack.catalog.saveTracks([host, guest, ...tracksOf(2802, 2, 'Guest', 'Own')]);

    expect(await stack.catalog.getAlbum(shared)).toMatchObject({ trackCount: 2, artist: 'Host' });
    expect(await counts('Guest', ['Own'])).toEqual({ artist: { tracks: 3, albums: 1 }, albums: [2] });
    expect(await counts('Host', ['Shared'])).toEqual({ artist: { tracks: 1, albums: 1 }, albums: [2] });
  });

  it('accepts an empty batch', async () => {
    await expect(stack.catalog.saveTracks([])).resolves.toBeUndefined();
  });
});
