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

/** The version of a new playlist; every metadata change adds one. */
export const FIRST_VERSION = 1;
