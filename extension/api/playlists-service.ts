import {
  MAX_ENTRIES_PER_ADD,
  MAX_PAGE_SIZE,
  type AddedEntries,
  type Page,
  type Playlist,
  type PlaylistEntry,
  type PlaylistFileFormat,
  type PlaylistImport,
} from '@@/shared/api';
import { apiClient, ApiError, type ApiClient } from './api-client';
import { withRetries, type RetryOptions } from './write-retry';

/** One listener action's create or add, as sent (and, if need be, sent again) to the server. */
export interface WriteAction {
  /**
   * The action's `Idempotency-Key` (`newActionKey()`), made once and sent with every try of it,
   * so that a try whose answer got lost is never done twice. Defaults to a new key.
   */
  key?: string;
  /** Called before each new try, so a view can say it is trying again. */
  onRetry?: RetryOptions['onRetry'];
}

/** A new `Idempotency-Key`: a random UUID, as API.md asks of clients. */
export const newActionKey = (): string => crypto.randomUUID();

/** Guards against a cursor that never ends: 200 × 200 = 40,000 entries. */
const MAX_PAGES = 200;

const path = (id: string) => `/playlists/${encodeURIComponent(id)}`;
const entryPath = (id: string, entryId: string) => `${path(id)}/entries/${encodeURIComponent(entryId)}`;

/** The listener's playlists through the API (API.md, "playlists"). */
export function createPlaylistsService(api: ApiClient = apiClient()) {
  /** Follows the cursor, handing each page to `onPage` as it arrives. */
  async function allPages<T>(url: string, onPage?: (items: T[]) => void): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await api.get<Page<T>>(url, { limit: MAX_PAGE_SIZE, cursor });
      items.push(...result.items);
      onPage?.(result.items);
      cursor = result.cursor;
      if (!cursor) break;
    }
    return items;
  }

  return {
    list: () => allPages<Playlist>('/playlists'),
    get: (id: string) => api.get<Playlist>(path(id)),
    create: (name: string, { key = newActionKey(), onRetry }: WriteAction = {}) =>
      withRetries((signal) => api.send<Playlist>('POST', '/playlists', { name }, { idempotencyKey: key, signal }), { onRetry }),

    remove: (id: string) => withRetries((signal) => api.send<void>('DELETE', path(id), undefined, { signal }), { goneMeansDone: true }),

    /**
     * Renames a playlist. On a 409 (someone else changed it since `version`), reloads the
     * current version and tries once more: the listener's latest rename wins.
     */
    async rename(id: string, name: string, version: number): Promise<Playlist> {
      const patch = (at: number) => withRetries((signal) => api.send<Playlist>('PATCH', path(id), { name, version: at }, { signal }));
      try {
        return await patch(version);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) throw error;
        const current = await api.get<Playlist>(path(id));
        return patch(current.version);
      }
    },

    /** Every entry in playlist order; `onPage` sees each page as it lands (for long playlists). */
    entries: (id: string, onPage?: (items: PlaylistEntry[]) => void) => allPages<PlaylistEntry>(`${path(id)}/entries`, onPage),

    /**
     * Appends tracks, at most 100 per request as the API allows; request `n` of the action carries
     * the key `<key>.<n>`, so trying the same action again replays the requests that landed and
     * resumes the one that stopped. When a request fails for good, the error's details say how
     * far the whole add got: `added` of `requested` tracks.
     */
    async addTracks(id: string, trackIds: string[], { key = newActionKey(), onRetry }: WriteAction = {}): Promise<PlaylistEntry[]> {
      const added: PlaylistEntry[] = [];
      for (let i = 0; i < trackIds.length; i += MAX_ENTRIES_PER_ADD) {
        const body = { trackIds: trackIds.slice(i, i + MAX_ENTRIES_PER_ADD), position: 'end' };
        const idempotencyKey = `${key}.${i / MAX_ENTRIES_PER_ADD}`;
        try {
          const answer = await withRetries(
            (signal) => api.send<AddedEntries>('POST', `${path(id)}/entries`, body, { idempotencyKey, signal }),
            { onRetry },
          );
          added.push(...answer.items);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const partly = typeof error.details.added === 'number' ? error.details.added : 0;
          const details = { ...error.details, added: added.length + partly, requested: trackIds.length };
          throw new ApiError(error.status, error.code, error.message, error.field, details);
        }
      }
      return added;
    },

    /** Moves an entry before `beforeId`, or to the end when it is null. */
    moveEntry: (id: string, entryId: string, beforeId: string | null) =>
      withRetries((signal) => api.send<PlaylistEntry>('PATCH', entryPath(id, entryId), { before: beforeId }, { signal })),

    removeEntry: (id: string, entryId: string) =>
      withRetries((signal) => api.send<void>('DELETE', entryPath(id, entryId), undefined, { signal }), { goneMeansDone: true }),

    /** The playlist as a file to save (`GET /playlists/{id}/export`), typed as the server sent it. */
    exportFile: (id: string, format: PlaylistFileFormat) => api.download(`${path(id)}/export`, { format }),

    /**
     * Makes a playlist called `name` from an M3U/M3U8 or XSPF file (a Blob typed as its format).
     * Sent once: without an `Idempotency-Key`, a try whose answer got lost and a second one could
     * make two playlists, so the listener decides whether to try again.
     */
    importFile: (name: string, file: Blob) => api.send<PlaylistImport>('POST', `/playlists/import?name=${encodeURIComponent(name)}`, file),
  };
}
