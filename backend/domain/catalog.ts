/** A playable track as clients see it (API.md). */
export interface Track {
  id: string;
  title: string;
  artist: string;
  artistId: string;
  album: string;
  albumId: string;
  trackNumber?: number;
  discNumber?: number;
  durationMs: number;
  genre?: string;
  year?: number;
  /** Presigned, short-lived URL of the album cover; absent when the album has none. */
  coverUrl?: string;
}

/** What the catalog stores for a track: the public fields plus where its media lives. */
export interface TrackRecord extends Omit<Track, 'coverUrl'> {
  /** S3 key of the audio object (content-addressed). */
  audioKey: string;
  /** MIME type of the audio object, e.g. `audio/wav`, `audio/mpeg`. */
  contentType: string;
  /** S3 key of the album cover, if any. */
  coverKey?: string;
  /** Hex SHA-256 of the audio bytes; lets imports skip unchanged files. */
  contentHash: string;
}

export interface Album {
  id: string;
  name: string;
  artist: string;
  artistId: string;
  year?: number;
  genre?: string;
  trackCount: number;
  coverUrl?: string;
}

export interface Artist {
  id: string;
  name: string;
  albumCount: number;
  trackCount: number;
}

/** One page of a listing; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}
