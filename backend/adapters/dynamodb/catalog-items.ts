import type { Album, Artist, TrackRecord } from '../../domain/catalog';
import { normalizeName } from '../../domain/ids';

/**
 * Item shapes of the tracks table (private to this adapter):
 * - track:  pk `track#<id>`  sk `track`   gsi1 `album#<albumId>` / `<disc>#<track>#<title>`   gsi2 `tracks` / `<title>#<id>`
 * - album:  pk `album#<id>`  sk `album`   gsi1 `artist#<artistId>` / `<year>#<name>#<id>`     gsi2 `albums` / `<name>#<id>`
 * - artist: pk `artist#<id>` sk `artist`                                                      gsi2 `artists` / `<name>#<id>`
 */
export type StoredAlbum = Album & { coverKey?: string };
type Item = Record<string, unknown>;

const pad = (value: number | undefined, width: number) =>
  value === undefined ? '9'.repeat(width) : String(Math.max(0, Math.trunc(value))).padStart(width, '0');

export const trackKey = (id: string) => ({ pk: `track#${id}`, sk: 'track' });
export const albumKey = (id: string) => ({ pk: `album#${id}`, sk: 'album' });
export const artistKey = (id: string) => ({ pk: `artist#${id}`, sk: 'artist' });
export const albumTracksPartition = (albumId: string) => `album#${albumId}`;
export const artistAlbumsPartition = (artistId: string) => `artist#${artistId}`;
export const KIND_PARTITION = { tracks: 'tracks', albums: 'albums', artists: 'artists' } as const;

export function trackItem(track: TrackRecord): Item {
  return {
    ...trackKey(track.id),
    gsi1pk: albumTracksPartition(track.albumId),
    gsi1sk: `${pad(track.discNumber ?? 1, 3)}#${pad(track.trackNumber, 4)}#${normalizeName(track.title)}`,
    gsi2pk: KIND_PARTITION.tracks,
    gsi2sk: `${normalizeName(track.title)}#${track.id}`,
    ...track,
  };
}

/** Album attributes written on every save of one of its tracks (the counts are kept apart). */
export function albumAttributes(track: TrackRecord): Item {
  return {
    gsi2pk: KIND_PARTITION.albums,
    gsi2sk: `${normalizeName(track.album)}#${track.albumId}`,
    id: track.albumId,
    name: track.album,
    ...(track.year !== undefined ? { year: track.year } : {}),
    ...(track.genre !== undefined ? { genre: track.genre } : {}),
    ...(track.coverKey !== undefined ? { coverKey: track.coverKey } : {}),
  };
}

/** Set only when the album is created: the first track's artist becomes the album artist. */
export function albumOwnerAttributes(track: TrackRecord): Item {
  return {
    artist: track.artist,
    artistId: track.artistId,
    gsi1pk: artistAlbumsPartition(track.artistId),
    gsi1sk: `${pad(track.year, 4)}#${normalizeName(track.album)}#${track.albumId}`,
  };
}

export function artistAttributes(track: TrackRecord): Item {
  return {
    gsi2pk: KIND_PARTITION.artists,
    gsi2sk: `${normalizeName(track.artist)}#${track.artistId}`,
    id: track.artistId,
    name: track.artist,
  };
}

function pick<T>(item: Item, keys: readonly (keyof T & string)[]): Partial<T> {
  const out: Item = {};
  for (const key of keys) if (item[key] !== undefined) out[key] = item[key];
  return out as Partial<T>;
}

const trackFields = [
  'id',
  'title',
  'artist',
  'artistId',
  'album',
  'albumId',
  'trackNumber',
  'discNumber',
  'durationMs',
  'genre',
  'year',
  'audioKey',
  'contentType',
  'coverKey',
  'contentHash',
] as const satisfies readonly (keyof TrackRecord)[];

export const toTrack = (item: Item) => pick<TrackRecord>(item, trackFields) as TrackRecord;

export const toAlbum = (item: Item): StoredAlbum =>
  ({
    trackCount: 0,
    ...pick<StoredAlbum>(item, ['id', 'name', 'artist', 'artistId', 'year', 'genre', 'trackCount', 'coverKey']),
  }) as StoredAlbum;

export const toArtist = (item: Item): Artist =>
  ({ albumCount: 0, trackCount: 0, ...pick<Artist>(item, ['id', 'name', 'albumCount', 'trackCount']) }) as Artist;
