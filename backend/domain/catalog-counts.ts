/**
 * The catalog's derived counts and how a save changes them:
 * - an album's `trackCount` is the number of tracks filed under it;
 * - an artist's `trackCount` is the number of its tracks, on any album (a guest track on
 *   someone else's album counts for the guest);
 * - an artist's `albumCount` is the number of albums it owns (is the album artist of) that have
 *   at least one track.
 */

/** Where a track is filed, as far as the counts go. */
export interface TrackPlacement {
  albumId: string;
  artistId: string;
}

/** One track's save: where it was (absent for a new track) and where it goes. */
export interface TrackMove {
  before?: TrackPlacement;
  after: TrackPlacement;
}

/** An album's state before the save: its owner (album artist) and its track count. */
export interface AlbumCount {
  ownerId: string;
  trackCount: number;
}

/** An artist's counts, or a change of them. */
export interface ArtistCounts {
  trackCount: number;
  albumCount: number;
}

export type ArtistCountChange = ArtistCounts;

/** The changes a save makes; albums and artists whose counts do not change are absent. */
export interface CountChanges {
  /** Change of each album's `trackCount`. */
  albums: Map<string, number>;
  /** Change of each artist's `trackCount` and `albumCount`. */
  artists: Map<string, ArtistCountChange>;
}

/**
 * How saving tracks changes the counts. Only a track that is new, or that changes album or
 * artist, changes anything, so saving a track again changes nothing. `albums` holds the state
 * before the save of every album a track joins or leaves (an album about to be created: count 0
 * and its owner-to-be); an artist's `albumCount` changes when an album it owns gains its first
 * track or loses its last. An album missing from `albums` changes its own count only.
 */
export function countChanges(moves: readonly TrackMove[], albums: ReadonlyMap<string, AlbumCount>): CountChanges {
  const albumDeltas = new Map<string, number>();
  const artists = new Map<string, ArtistCountChange>();
  const artist = (id: string) => {
    let change = artists.get(id);
    if (!change) artists.set(id, (change = { trackCount: 0, albumCount: 0 }));
    return change;
  };
  const add = (at: TrackPlacement, n: number) => {
    albumDeltas.set(at.albumId, (albumDeltas.get(at.albumId) ?? 0) + n);
    artist(at.artistId).trackCount += n;
  };

  for (const { before, after } of moves) {
    if (before?.albumId === after.albumId && before.artistId === after.artistId) continue;
    if (before) add(before, -1);
    add(after, 1);
  }
  for (const [albumId, delta] of albumDeltas) {
    const album = albums.get(albumId);
    if (!delta || !album) continue;
    const had = album.trackCount > 0;
    const has = album.trackCount + delta > 0;
    if (had !== has) artist(album.ownerId).albumCount += has ? 1 : -1;
  }

  for (const [id, delta] of albumDeltas) if (!delta) albumDeltas.delete(id);
  for (const [id, change] of artists) if (!change.trackCount && !change.albumCount) artists.delete(id);
  return { albums: albumDeltas, artists };
}

/** Every album's `trackCount` and every artist's counts, as recounted from scratch. */
export interface CatalogCounts {
  albums: Map<string, number>;
  artists: Map<string, ArtistCounts>;
}

/**
 * The counts as defined above, recounted from where every track is filed and who owns each album
 * (`owners`: album id → its album artist). Every album in `owners` and every artist that has a
 * track or owns an album is present, with zeros where it has none. An album missing from
 * `owners` is counted for itself and for its tracks' artists, but for no owner.
 */
export function countCatalog(tracks: Iterable<TrackPlacement>, owners: ReadonlyMap<string, string>): CatalogCounts {
  const albums = new Map([...owners.keys()].map((id) => [id, 0]));
  const artists = new Map<string, ArtistCounts>();
  const artist = (id: string) => {
    let counts = artists.get(id);
    if (!counts) artists.set(id, (counts = { trackCount: 0, albumCount: 0 }));
    return counts;
  };
  for (const track of tracks) {
    albums.set(track.albumId, (albums.get(track.albumId) ?? 0) + 1);
    artist(track.artistId).trackCount += 1;
  }
  for (const [albumId, ownerId] of owners) artist(ownerId).albumCount += albums.get(albumId)! > 0 ? 1 : 0;
  return { albums, artists };
}
