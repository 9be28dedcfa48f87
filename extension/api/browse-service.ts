import type { Album, Artist, Track } from '@@/backend/domain/catalog';
import { apiClient, type ApiClient } from './api-client';

/** An album with its tracks (`GET /albums/{id}`). */
export interface AlbumDetail extends Album {
  tracks: Track[];
}

/** An artist with their tracks and albums (`GET /artists/{id}`). */
export interface ArtistDetail extends Artist {
  tracks: Track[];
  albums: Album[];
}

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
