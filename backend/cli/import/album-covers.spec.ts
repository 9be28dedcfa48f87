import { describe, expect, it, vi } from 'vitest';
import type { TrackRecord } from '../../domain/catalog';
import type { MediaStore } from '../../domain/ports';
import { AlbumCovers, giveLateCovers } from './album-covers';

/** The PNG signature and a few bytes: enough for `sniffImage`. */
const png = (seed: number) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, seed]);

function covers() {
  const stored = new Set<string>();
  const media: MediaStore = {
    put: vi.fn(async (key: string) => void stored.add(key)),
    exists: async (key) => stored.has(key),
  };
  return { media, covers: new AlbumCovers({ media, images: new Map(), write: true, warn: () => {} }) };
}

const record = (id: string, albumId: string, coverKey?: string) =>
  ({ id, albumId, title: id, ...(coverKey && { coverKey }) }) as TrackRecord;

describe('album covers', () => {
  it('stores an album cover once when its tracks arrive together, even after a coverless one', async () => {
    const { media, covers: albums } = covers();
    expect(await albums.coverFor('alb_1', 'A', undefined)).toBeUndefined();

    const keys = await Promise.all([
      albums.coverFor('alb_1', 'A', [{ data: png(1), type: 'Cover (front)' }]),
      albums.coverFor('alb_1', 'A', [{ data: png(1), type: 'Cover (front)' }]),
      albums.coverFor('alb_1', 'A', undefined),
    ]);
    expect(keys[0]).toMatch(/^covers\/[0-9a-f]{64}\.png$/);
    expect(keys).toEqual([keys[0], keys[0], keys[0]]);
    expect(media.put).toHaveBeenCalledTimes(1);
    expect(await albums.keyOf('alb_1')).toBe(keys[0]);
  });

  it("gives the tracks saved before their album's cover turned up that cover, and leaves the rest", async () => {
    const { covers: albums } = covers();
    await albums.coverFor('alb_1', 'A', undefined);
    const key = await albums.coverFor('alb_1', 'A', [{ data: png(2) }]);
    await albums.coverFor('alb_2', 'B', undefined);
    const catalog = { saveTracks: vi.fn(async () => {}) };

    const late = await giveLateCovers([record('trk_1', 'alb_1'), record('trk_2', 'alb_2')], albums, catalog);
    expect(late).toEqual([record('trk_1', 'alb_1', key)]);
    expect(catalog.saveTracks).toHaveBeenCalledWith(late);
  });

  it('writes nothing when no album found a cover later', async () => {
    const { covers: albums } = covers();
    await albums.coverFor('alb_2', 'B', undefined);
    const catalog = { saveTracks: vi.fn(async () => {}) };
    expect(await giveLateCovers([record('trk_2', 'alb_2')], albums, catalog)).toEqual([]);
    expect(catalog.saveTracks).not.toHaveBeenCalled();
  });
});
