import type { Track } from '@@/backend/domain/catalog';
import { apiClient, type ApiClient } from './api-client';

/** A themed slice of the feed (`GET /home` `sections`). */
export interface HomeSection {
  title: string;
  tracks: Track[];
}

/** The shuffled feed as `GET /home` returns it. */
export interface HomeFeed {
  /** ISO time of the shuffle; null before the first one has run. */
  generatedAt: string | null;
  tracks: Track[];
  sections: HomeSection[];
}

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
