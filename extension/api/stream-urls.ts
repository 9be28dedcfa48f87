import type { StreamUrl } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

/** Asks the API for stream URLs; `player/background/stream-cache.ts` keeps them until they near expiry. */
export function createStreamUrls(api: ApiClient = apiClient()) {
  return {
    /** A fresh presigned URL to stream the track (`GET /tracks/{id}/stream`). */
    fetch(trackId: string): Promise<StreamUrl> {
      return api.get<StreamUrl>(`/tracks/${encodeURIComponent(trackId)}/stream`);
    },
  };
}
