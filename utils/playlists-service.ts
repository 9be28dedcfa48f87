import type { Page, Track } from '@/backend/domain/catalog';
import { apiClient, ApiError, type ApiClient } from './api-client';

/** A playlist as `GET /playlists` lists it. */
export interface PlaylistSummary {
  id: string;
  name: string;
  description?: string;
  entryCount: number;
  /** Optimistic-concurrency version; `PATCH /playlists/{id}` must send it back. */
  version: number;
  updatedAt: string;
}

/** One entry of a playlist; `track` is null when the track left the catalog. */
export interface PlaylistEntry {
  id: string;
  trackId: string;
  track: Track | null;
}

/** The API's largest page (`limit` ≤ 200). */
const PAGE_SIZE = 200;
/** Guards against a cursor that never ends: 200 × 200 = 40,000 entries. */
const MAX_PAGES = 200;

const path = (id: string) => `/playlists/${encodeURIComponent(id)}`;

/** The listener's playlists through the API (API.md, "playlists"). */
export function createPlaylistsService(api: ApiClient = apiClient()) {
  /** Follows the cursor, handing each page to `onPage` as it arrives. */
  async function allPages<T>(url: string, onPage?: (items: T[]) => void): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await api.get<Page<T>>(url, { limit: PAGE_SIZE, cursor });
      items.push(...result.items);
      onPage?.(result.items);
      cursor = result.cursor;
      if (!cursor) break;
    }
    return items;
  }

  return {
    list: () => allPages<PlaylistSummary>('/playlists'),
    get: (id: string) => api.get<PlaylistSummary>(path(id)),
    create: (name: string) => api.send<PlaylistSummary>('POST', '/playlists', { name }),
    remove: (id: string) => api.send<void>('DELETE', path(id)),

    /**
     * Renames a playlist. On a 409 (someone else changed it since `version`), reloads the
     * current version and tries once more: the listener's latest rename wins.
     */
    async rename(id: string, name: string, version: number): Promise<PlaylistSummary> {
      try {
        return await api.send<PlaylistSummary>('PATCH', path(id), { name, version });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) throw error;
        const current = await api.get<PlaylistSummary>(path(id));
        return api.send<PlaylistSummary>('PATCH', path(id), { name, version: current.version });
      }
    },

    /** Every entry in playlist order; `onPage` sees each page as it lands (for long playlists). */
    entries: (id: string, onPage?: (items: PlaylistEntry[]) => void) =>
      allPages<PlaylistEntry>(`${path(id)}/entries`, onPage),

    /** Appends tracks (at most 100 per call, as the API allows). */
    async addTracks(id: string, trackIds: string[]): Promise<PlaylistEntry[]> {
      const added: PlaylistEntry[] = [];
      for (let i = 0; i < trackIds.length; i += 100) {
        const body = await api.send<{ items: PlaylistEntry[] }>('POST', `${path(id)}/entries`, {
          trackIds: trackIds.slice(i, i + 100),
          position: 'end',
        });
        added.push(...body.items);
      }
      return added;
    },

    /** Moves an entry before `beforeId`, or to the end when it is null. */
    moveEntry: (id: string, entryId: string, beforeId: string | null) =>
      api.send<PlaylistEntry>('PATCH', `${path(id)}/entries/${encodeURIComponent(entryId)}`, { before: beforeId }),

    removeEntry: (id: string, entryId: string) =>
      api.send<void>('DELETE', `${path(id)}/entries/${encodeURIComponent(entryId)}`),
  };
}

export type PlaylistsService = ReturnType<typeof createPlaylistsService>;
