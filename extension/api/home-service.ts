import type { HomeFeed } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

/** Reads the listener's home feed. */
export function createHomeService(api: ApiClient = apiClient()) {
  return {
    /** The current shuffled feed; `sections` is always an array. */
    async feed(): Promise<HomeFeed> {
      const body = await api.get<Partial<HomeFeed>>('/home');
      return { generatedAt: body.generatedAt ?? null, tracks: body.tracks ?? [], sections: body.sections ?? [] };
    },
  };
}
