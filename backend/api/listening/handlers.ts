import type * as wire from '../../../shared/api';
import { MAX_LIKED_TRACK_IDS } from '../../../shared/api';
import { likeParamsSchema, pageQuerySchema, playsRequestSchema, updateSettingsSchema } from '../../../shared/api/requests';
import type { ListeningRepository } from '../../domain/listening';
import type { CatalogRepository, MediaUrlSigner } from '../../domain/ports';
import { json, jsonBody, noContent, ok, parse, pathParam, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentTrack } from '../presenters';
import { listeningCommands } from './commands';

export interface ListeningDeps {
  listening: ListeningRepository;
  catalog: CatalogRepository;
  media: MediaUrlSigner;
  urlTtlSeconds: number;
  now: () => Date;
}

type Event = Parameters<RouteHandler>[0];

/** Route handlers of the listening function (`/me/…`): authenticate → validate → command → present. */
export function listeningRoutes(deps: ListeningDeps): Record<string, RouteHandler> {
  const commands = listeningCommands(deps);
  const { listening, catalog, media, urlTtlSeconds } = deps;
  const trackIdOf = (event: Event) => parse(likeParamsSchema, { trackId: pathParam(event, 'trackId') }).trackId;
  const pageOf = (event: Event) => parse(pageQuerySchema, event.queryStringParameters ?? {});

  /** Items with their tracks, as playlist entries carry them: one batch read for the page, null for a track gone since. */
  async function withTracks<T extends { trackId: string }>(items: readonly T[]): Promise<(T & { track: wire.Track | null })[]> {
    const tracks = await catalog.getTracks([...new Set(items.map((item) => item.trackId))]);
    const sign = keySigner(media, urlTtlSeconds);
    const byId = new Map(await Promise.all(tracks.map(async (t) => [t.id, await presentTrack(t, sign)] as const)));
    return items.map((item) => ({ ...item, track: byId.get(item.trackId) ?? null }));
  }

  return {
    'POST /me/plays': async (event) => {
      const userId = userIdOf(event);
      const { plays } = parse(playsRequestSchema, jsonBody(event));
      return json(202, (await commands.recordPlays(userId, plays)) satisfies wire.PlaysAccepted);
    },

    'GET /me/history': async (event) => {
      const userId = userIdOf(event);
      const page = await listening.listPlays(userId, pageOf(event));
      const items = (await withTracks(page.items)).map(({ id, trackId, track, startedAt, msPlayed }): wire.HistoryItem => ({
        id,
        trackId,
        track,
        startedAt,
        msPlayed,
      }));
      return ok({ items, cursor: page.cursor } satisfies wire.Page<wire.HistoryItem>);
    },

    'DELETE /me/history': async (event) => {
      await commands.clearHistory(userIdOf(event));
      return noContent();
    },

    'PUT /me/likes/{trackId}': async (event) => {
      const userId = userIdOf(event);
      await commands.like(userId, trackIdOf(event));
      return noContent();
    },

    'DELETE /me/likes/{trackId}': async (event) => {
      const userId = userIdOf(event);
      await commands.unlike(userId, trackIdOf(event));
      return noContent();
    },

    'GET /me/likes': async (event) => {
      const userId = userIdOf(event);
      const page = await listening.listLikes(userId, pageOf(event));
      const items = (await withTracks(page.items)).map(({ trackId, track, likedAt }): wire.LikedTrack => ({ trackId, track, likedAt }));
      return ok({ items, cursor: page.cursor } satisfies wire.Page<wire.LikedTrack>);
    },

    'GET /me/likes/ids': async (event) => {
      const userId = userIdOf(event);
      return ok({ trackIds: await listening.likedTrackIds(userId, MAX_LIKED_TRACK_IDS) });
    },

    'GET /me/settings': async (event) => {
      const userId = userIdOf(event);
      const { historyPaused } = await listening.settings(userId);
      return ok({ historyPaused } satisfies wire.ListeningSettings);
    },

    'PATCH /me/settings': async (event) => {
      const userId = userIdOf(event);
      const input = parse(updateSettingsSchema, jsonBody(event));
      return ok((await commands.updateSettings(userId, input)) satisfies wire.ListeningSettings);
    },
  };
}
