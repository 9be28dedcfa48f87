import type { AlbumDetail, ArtistDetail } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

/** Opens albums and artists picked in search or from a track. */
export function createBrowseService(api: ApiClient = apiClient()) {
  return {
    async album(id: string): Promise<AlbumDetail> {
      const body = await api.get<AlbumDetail>(`/albums/${encodeURIComponent(id)}`);
      return { ...body, tracks: body.tracks ?? [] };
    },

    async artist(id: string): Promise<ArtistDetail> {
      const body = await api.get<ArtistDetail>(`/artists/${encodeURIComponent(id)}`);
      return { ...body, tracks: body.tracks ?? [], albums: body.albums ?? [] };
    },
  };
}
