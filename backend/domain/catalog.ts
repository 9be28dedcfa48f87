import type { Track } from '../../shared/api';

// The catalog's public shapes are the API's.
export type { Album, Artist, Page, Track } from '../../shared/api';

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

/** What a listing reads: at most `limit` items after `cursor` (opaque, from the previous page). */
export interface PageRequest {
  limit: number;
  cursor?: string;
}
