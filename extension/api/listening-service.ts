import {
  MAX_PLAYS_PER_REQUEST,
  type HistoryItem,
  type ListeningSettings,
  type Page,
  type PlayInput,
  type PlaysAccepted,
} from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

/** Beyond this a `POST /me/plays` counts as unanswered; the outbox sends it again later (the server ignores known ids). */
const PLAYS_TIMEOUT_MS = 15_000;

/** The listener's plays, history and history setting through the API (API.md, "Listening"). */
export function createListeningService(api: ApiClient = apiClient()) {
  return {
    /**
     * Sends recorded plays (1 to `MAX_PLAYS_PER_REQUEST`), once: the play outbox decides whether
     * and when to send them again. A resend is harmless, the server ignores a known play id.
     */
    postPlays(plays: PlayInput[], { signal }: { signal?: AbortSignal } = {}): Promise<PlaysAccepted> {
      if (plays.length === 0 || plays.length > MAX_PLAYS_PER_REQUEST) {
        throw new RangeError(`postPlays takes 1 to ${MAX_PLAYS_PER_REQUEST} plays, got ${plays.length}`);
      }
      return api.send<PlaysAccepted>('POST', '/me/plays', { plays }, { signal: signal ?? AbortSignal.timeout(PLAYS_TIMEOUT_MS) });
    },

    /** One page of the history, newest first; pass the returned `cursor` for the next. */
    async getHistory(cursor?: string, limit?: number): Promise<Page<HistoryItem>> {
      const page = await api.get<Partial<Page<HistoryItem>>>('/me/history', { cursor, limit });
      return { items: page.items ?? [], ...(page.cursor && { cursor: page.cursor }) };
    },

    /** Forgets every play of this listener (and the counts made from them). */
    clearHistory: (): Promise<void> => api.send<void>('DELETE', '/me/history'),

    getSettings: (): Promise<ListeningSettings> => api.get<ListeningSettings>('/me/settings'),

    updateSettings: (patch: Partial<ListeningSettings>): Promise<ListeningSettings> =>
      api.send<ListeningSettings>('PATCH', '/me/settings', patch),
  };
}

export type ListeningService = ReturnType<typeof createListeningService>;
