import { describe, expect, it } from 'vitest';
import type { IndexedTrack } from '../../../domain/search';
import { CatalogIndex } from './catalog-index';

const track = (id: string, title: string, artist: string, album: string): IndexedTrack => ({
  id,
  title,
  artist,
  artistId: `ar_${artist}`,
  album,
  albumId: `al_${album}`,
  durationMs: 1000,
});

const find = (index: CatalogIndex, text: string) => index.search({ text, field: 'all', limit: 10, offset: 0 });

describe('CatalogIndex', () => {
  it('keeps album and artist counts right when tracks move and go', () => {
    const index = CatalogIndex.empty();
    index.upsert([track('t1', 'Halo', 'Beyoncé', 'I Am'), track('t2', 'Ego', 'Beyoncé', 'I Am'), track('t3', 'Formation', 'Beyoncé', 'Lemonade')]);
    expect(find(index, 'beyonce').artists).toEqual([{ id: 'ar_Beyoncé', name: 'Beyoncé', albumCount: 2, trackCount: 3 }]);
    index.upsert([track('t3', 'Formation', 'Beyoncé', 'I Am')]);
    expect(find(index, 'lemonade').albums).toEqual([]);
    expect(find(index, 'i am').albums[0]).toMatchObject({ trackCount: 3 });
    expect(find(index, 'beyonce').artists[0]).toMatchObject({ albumCount: 1, trackCount: 3 });
    index.remove(['t1', 't2', 't3']);
    expect(find(index, 'beyonce')).toEqual({ tracks: [], albums: [], artists: [], more: false });
  });

  it('ranks an exact title above longer titles that contain it', () => {
    const index = CatalogIndex.empty();
    index.upsert([track('t1', 'Halo Halo Remix', 'A', 'X'), track('t2', 'Halo', 'B', 'Y'), track('t3', 'Halo of Halos', 'C', 'Z')]);
    expect(index.search({ text: 'halo', field: 'track', limit: 3, offset: 0 }).tracks[0]!.id).toBe('t2');
  });

  it('survives a snapshot round trip', () => {
    const index = CatalogIndex.empty();
    index.upsert([track('t1', 'Jóga', 'Björk', 'Homogenic')]);
    const copy = CatalogIndex.fromSnapshot(JSON.parse(JSON.stringify(index.toSnapshot())));
    expect(find(copy, 'joga').tracks.map((t) => t.id)).toEqual(['t1']);
    expect(copy.suggest('bjo', 3)).toEqual([{ text: 'Björk', kind: 'artist', id: 'ar_Björk' }]);
  });
});
