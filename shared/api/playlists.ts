import type { Track } from './catalog';

/** A listener's playlist (`GET /playlists`, `GET /playlists/{id}`, and the answer to every playlist write). */
export interface Playlist {
  id: string;
  /** A display name (1–100 characters, stored normalized: see API.md "Names"). */
  name: string;
  /** Up to 500 characters; empty when none was given. */
  description: string;
  /** Number of entries; the same track may be counted more than once. */
  entryCount: number;
  /** Bumped on every metadata change; a PATCH must send the version it read (a stale one is a 409). */
  version: number;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
}

/** One slot of a playlist (`GET /playlists/{id}/entries`, and the answer to adds and moves). */
export interface PlaylistEntry {
  id: string;
  trackId: string;
  /** ISO time the entry was added. */
  addedAt: string;
  /** The track, or null when it has left the catalog since it was added. */
  track: Track | null;
}

/** `POST /playlists/{id}/entries`: the entries added, in playlist order. */
export interface AddedEntries {
  items: PlaylistEntry[];
}

/** Where an add puts its entries: at either end, or just before an existing entry. */
export type EntryPosition = 'start' | 'end' | { before: string };

/** Most tracks one `POST /playlists/{id}/entries` adds. */
export const MAX_ENTRIES_PER_ADD = 100;

/** The files `GET /playlists/{id}/export?format=` writes. */
export const PLAYLIST_FILE_FORMATS = ['m3u8', 'xspf'] as const;
export type PlaylistFileFormat = (typeof PLAYLIST_FILE_FORMATS)[number];

/** Largest playlist file `POST /playlists/import` reads, in bytes; a larger one is a 413. */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Most tracks one imported file may list; more is a 413. */
export const MAX_IMPORT_TRACKS = 1000;

/** `POST /playlists/import`: the new playlist, and which lines of the file found no track in the catalog. */
export interface PlaylistImport {
  playlist: Playlist;
  /** Tracks added, in file order. */
  matched: number;
  /** Each line that matched nothing, as the file named it (`Artist - Title`, else its location). */
  unmatched: string[];
}

/** The version of a new playlist; every metadata change adds one. */
export const FIRST_VERSION = 1;
