import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack } from '../../../domain/search';

interface AlbumEntry {
  album: IndexedAlbum;
  trackIds: Set<string>;
}

interface ArtistEntry {
  artist: Artist;
  trackIds: Set<string>;
  albumIds: Set<string>;
}

/**
 * Albums and artists derived from the indexed tracks, with their counts. As in the catalog
 * table, the first track seen for an album decides its album artist.
 */
export class CatalogAggregates {
  /** `tracks` is the index's own map of tracks, read to tell whether an artist is still on an album. */
  constructor(private readonly tracks: ReadonlyMap<string, IndexedTrack>) {}

  readonly albums = new Map<string, AlbumEntry>();
  readonly artists = new Map<string, ArtistEntry>();

  add(track: IndexedTrack): void {
    let album = this.albums.get(track.albumId);
    if (!album) {
      album = {
        album: { id: track.albumId, name: track.album, artist: track.artist, artistId: track.artistId, trackCount: 0 },
        trackIds: new Set(),
      };
      this.albums.set(track.albumId, album);
    }
    album.trackIds.add(track.id);
    Object.assign(album.album, {
      name: track.album,
      trackCount: album.trackIds.size,
      ...(track.year !== undefined ? { year: track.year } : {}),
      ...(track.genre !== undefined ? { genre: track.genre } : {}),
      ...(track.coverKey !== undefined ? { coverKey: track.coverKey } : {}),
    });

    let artist = this.artists.get(track.artistId);
    if (!artist) {
      artist = {
        artist: { id: track.artistId, name: track.artist, albumCount: 0, trackCount: 0 },
        trackIds: new Set(),
        albumIds: new Set(),
      };
      this.artists.set(track.artistId, artist);
    }
    artist.trackIds.add(track.id);
    artist.albumIds.add(track.albumId);
    Object.assign(artist.artist, { name: track.artist, trackCount: artist.trackIds.size, albumCount: artist.albumIds.size });
  }

  /** Forgets a track; an album or artist left without tracks goes too. */
  remove(track: IndexedTrack): void {
    const album = this.albums.get(track.albumId);
    if (album) {
      album.trackIds.delete(track.id);
      album.album.trackCount = album.trackIds.size;
      if (album.trackIds.size === 0) this.albums.delete(track.albumId);
    }
    const artist = this.artists.get(track.artistId);
    if (artist) {
      artist.trackIds.delete(track.id);
      const stillOnAlbum = [...(album?.trackIds ?? [])].some((id) => this.tracks.get(id)?.artistId === track.artistId);
      if (!stillOnAlbum) artist.albumIds.delete(track.albumId);
      Object.assign(artist.artist, { trackCount: artist.trackIds.size, albumCount: artist.albumIds.size });
      if (artist.trackIds.size === 0) this.artists.delete(track.artistId);
    }
  }
}
