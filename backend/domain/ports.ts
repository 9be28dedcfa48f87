import type { Album, Artist, Page, PageRequest, TrackRecord } from './catalog';

/** Read and write access to the shared catalog (tracks, albums, artists). */
export interface CatalogRepository {
  /** Stores a track and creates or updates its album and artist. Idempotent. */
  saveTrack(track: TrackRecord): Promise<void>;
  /**
   * Stores many tracks at once (batch writes; each album and artist updated once per call).
   * Idempotent, counts stay right when tracks are saved again or move album. Duplicate ids: the
   * last one wins.
   */
  saveTracks(tracks: readonly TrackRecord[]): Promise<void>;
  getTrack(id: string): Promise<TrackRecord | undefined>;
  /** Batch read; unknown ids are left out, order follows `ids`. */
  getTracks(ids: readonly string[]): Promise<TrackRecord[]>;
  listTracks(page: PageRequest): Promise<Page<TrackRecord>>;
  /** Every track id in the catalog (used by the shuffle). */
  listAllTrackIds(): Promise<string[]>;
  listAlbums(page: PageRequest): Promise<Page<Album & { coverKey?: string }>>;
  listArtists(page: PageRequest): Promise<Page<Artist>>;
  getAlbum(id: string): Promise<(Album & { coverKey?: string }) | undefined>;
  getArtist(id: string): Promise<Artist | undefined>;
  listAlbumTracks(albumId: string): Promise<TrackRecord[]>;
  listArtistAlbums(artistId: string): Promise<(Album & { coverKey?: string })[]>;
}

/** Audio and cover objects (S3 in the cloud, s3rver locally), as the import and the demo seed write them. */
export interface MediaStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/**
 * Read links to audio and cover objects: all the API functions need of the media bucket, kept
 * apart from `MediaStore` so they can sign without loading a storage client.
 */
export interface MediaUrlSigner {
  /** A presigned GET URL (Range-capable) valid for `expiresInSeconds`. */
  signedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** The bytes of an object too large to hold in memory, read piece by piece. */
export interface ByteSource {
  size: number;
  /** Reads `length` bytes at `offset` (the last piece may be shorter). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Called after the last piece, before the object becomes visible; throwing abandons the upload. */
  verify?(): Promise<void>;
}

/** A media store that can also take large objects without buffering them (multipart in S3). */
export interface LargeMediaStore extends MediaStore {
  putSource(key: string, source: ByteSource, contentType: string): Promise<void>;
}
