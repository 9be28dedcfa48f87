import type { Album, AlbumDetail, Page, StreamUrl } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

/** Enough pages for a personal catalog; a guard against a cursor that never ends. */
const MAX_PAGES = 20;
/** How many album requests run at once when loading the library. */
const ALBUM_CONCURRENCY = 6;

/** Reads the shared catalog through the API client. */
export function createCatalogService(api: ApiClient = apiClient()) {
  /** Every album, following the cursor. */
  async function albums(): Promise<Album[]> {
    const items: Album[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await api.get<Page<Album>>('/albums', { limit: 100, cursor });
      items.push(...result.items);
      cursor = result.cursor;
      if (!cursor) break;
    }
    return items;
  }

  /** One album with its tracks. */
  function album(id: string): Promise<AlbumDetail> {
    return api.get<AlbumDetail>(`/albums/${encodeURIComponent(id)}`);
  }

  return {
    albums,
    album,

    /** Every album with its tracks, a few requests at a time, in album-list order. */
    async albumsWithTracks(): Promise<AlbumDetail[]> {
      const list = await albums();
      const results: AlbumDetail[] = new Array(list.length);
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const i = next++;
          results[i] = await album(list[i]!.id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ALBUM_CONCURRENCY, list.length) }, worker));
      return results;
    },

    /** A fresh presigned URL to stream the track. */
    stream(trackId: string): Promise<StreamUrl> {
      return api.get<StreamUrl>(`/tracks/${encodeURIComponent(trackId)}/stream`);
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
