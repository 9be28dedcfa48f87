import { MAX_PAGE_SIZE, type LikedTrack, type Page } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';
import { withRetries } from './write-retry';

const path = (trackId: string) => `/me/likes/${encodeURIComponent(trackId)}`;

/**
 * The listener's liked tracks through the API (API.md, "Listening"). A like is a PUT and an unlike
 * a DELETE of the same path: both end in the same state however often they land, so a failed one
 * is sent again like any other safe write.
 */
export function createLikesService(api: ApiClient = apiClient()) {
  return {
    like: (trackId: string) => withRetries((signal) => api.send<void>('PUT', path(trackId), undefined, { signal })),

    unlike: (trackId: string) =>
      withRetries((signal) => api.send<void>('DELETE', path(trackId), undefined, { signal }), { goneMeansDone: true }),

    /** One page of liked tracks, newest first; pass the previous page's cursor for the next. */
    page: (cursor?: string, limit: number = MAX_PAGE_SIZE) => api.get<Page<LikedTrack>>('/me/likes', { limit, cursor }),

    /** Every liked track id, newest first: what the hearts are marked from. */
    async ids(): Promise<string[]> {
      return (await api.get<{ trackIds: string[] }>('/me/likes/ids')).trackIds;
    },
  };
}
