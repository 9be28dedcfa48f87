/** A playable track (`GET /tracks/{id}`, and wherever the API returns tracks). */
export interface Track {
  /** Stable id, `tr_` and 24 characters of the audio's content hash. */
  id: string;
  title: string;
  /** The track's artist as tagged; `artistId` is the album artist's. */
  artist: string;
  artistId: string;
  album: string;
  albumId: string;
  /** Position on its disc, from 1; absent when the file does not say. */
  trackNumber?: number;
  discNumber?: number;
  durationMs: number;
  genre?: string;
  year?: number;
  /** Presigned, short-lived URL of the album cover; absent when the album has none. */
  coverUrl?: string;
}

/** An album (`GET /albums`, `GET /albums/{id}`). */
export interface Album {
  id: string;
  name: string;
  /** The album artist. */
  artist: string;
  artistId: string;
  year?: number;
  genre?: string;
  trackCount: number;
  /** Presigned, short-lived URL of the cover; absent when the album has none. */
  coverUrl?: string;
}

/** An album artist (`GET /artists`, `GET /artists/{id}`). */
export interface Artist {
  id: string;
  name: string;
  albumCount: number;
  trackCount: number;
}

/** One page of a listing (`?cursor=&limit=`); `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  /** Send it back as `?cursor=` for the next page; only this listing accepts it. */
  cursor?: string;
}

/** Items in one page of a listing when `?limit=` is absent. */
export const DEFAULT_PAGE_SIZE = 50;
/** Most items one page of a listing holds (`?limit=`). */
export const MAX_PAGE_SIZE = 200;

/** Most ids one `GET /tracks?ids=` names. */
export const MAX_TRACK_IDS = 100;

/** `GET /tracks?ids=`: the tracks that exist; unknown ids are left out. */
export interface TrackList {
  items: Track[];
}

/** `GET /albums/{id}`: the album with its tracks in play order. */
export interface AlbumDetail extends Album {
  tracks: Track[];
}

/** `GET /artists/{id}`: the artist with their albums and the tracks of those albums. */
export interface ArtistDetail extends Artist {
  albums: Album[];
  tracks: Track[];
}

/** `GET /tracks/{id}/stream`: a presigned, Range-capable audio URL. */
export interface StreamUrl {
  url: string;
  /** ISO time after which the URL stops working; ask for a new one then. */
  expiresAt: string;
  /** MIME type of the audio, e.g. `audio/mpeg`. */
  contentType: string;
}
