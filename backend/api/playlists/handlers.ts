import type * as wire from '../../../shared/api';
import {
  addEntriesSchema,
  createPlaylistSchema,
  entryParamsSchema,
  exportQuerySchema,
  moveEntrySchema,
  pageQuerySchema,
  playlistParamsSchema,
  updatePlaylistSchema,
} from '../../../shared/api/requests';
import type { TrackRecord } from '../../domain/catalog';
import { requestFingerprint } from '../../domain/idempotency';
import type { CatalogRepository, MediaUrlSigner } from '../../domain/ports';
import type { PlaylistEntry, PlaylistRepository } from '../../domain/playlists';
import { created, idempotencyKeyOf, jsonBody, noContent, ok, parse, pathParam, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentTrack } from '../presenters';
import { playlistCommands, type KeyedRequest } from './commands';
import { exportPlaylist } from './playlist-export';
import { presentPlaylist } from './presenters';

export interface PlaylistDeps {
  playlists: PlaylistRepository;
  catalog: CatalogRepository;
  media: MediaUrlSigner;
  urlTtlSeconds: number;
  now: () => Date;
  random?: () => number;
}

type Event = Parameters<RouteHandler>[0];

/** Route handlers of the playlists function: authenticate → validate → command → present. */
export function playlistRoutes(deps: PlaylistDeps): Record<string, RouteHandler> {
  const commands = playlistCommands(deps);
  const { playlists, catalog, media, urlTtlSeconds } = deps;
  const playlistId = (event: Event) => parse(playlistParamsSchema, { id: pathParam(event, 'id') }).id;
  const entryPath = (event: Event) => parse(entryParamsSchema, { id: pathParam(event, 'id'), entryId: pathParam(event, 'entryId') });
  /** The request's Idempotency-Key, if it sent one, with what makes a repeat the same request. */
  const keyedRequest = (event: Event, path: string, input: unknown): KeyedRequest | undefined => {
    const key = idempotencyKeyOf(event);
    return key === undefined ? undefined : { key, fingerprint: requestFingerprint('POST', path, input) };
  };

  /** Entries with their tracks, loaded in one batch for the whole page unless the caller has them. */
  async function presentEntries(entries: PlaylistEntry[], loaded?: readonly TrackRecord[]): Promise<wire.PlaylistEntry[]> {
    const tracks = loaded ?? (await catalog.getTracks([...new Set(entries.map((e) => e.trackId))]));
    const sign = keySigner(media, urlTtlSeconds);
    const byId = new Map(await Promise.all(tracks.map(async (t) => [t.id, await presentTrack(t, sign)] as const)));
    return entries.map((e) => ({ id: e.id, trackId: e.trackId, addedAt: e.addedAt, track: byId.get(e.trackId) ?? null }));
  }

  return {
    'GET /playlists': async (event) => {
      const userId = userIdOf(event);
      const page = await playlists.listPlaylists(userId, parse(pageQuerySchema, event.queryStringParameters ?? {}));
      return ok({ items: page.items.map(presentPlaylist), cursor: page.cursor } satisfies wire.Page<wire.Playlist>);
    },

    'POST /playlists': async (event) => {
      const userId = userIdOf(event);
      const input = parse(createPlaylistSchema, jsonBody(event));
      const { value, replayed } = await commands.createPlaylist(userId, input, keyedRequest(event, '/playlists', input));
      return created(presentPlaylist(value), replayed);
    },

    'GET /playlists/{id}': async (event) => {
      const userId = userIdOf(event);
      return ok(presentPlaylist(await commands.requirePlaylist(userId, playlistId(event))));
    },

    'PATCH /playlists/{id}': async (event) => {
      const userId = userIdOf(event);
      const id = playlistId(event);
      const input = parse(updatePlaylistSchema, jsonBody(event));
      return ok(presentPlaylist(await commands.updatePlaylist(userId, id, input)));
    },

    'DELETE /playlists/{id}': async (event) => {
      const userId = userIdOf(event);
      await commands.deletePlaylist(userId, playlistId(event));
      return noContent();
    },

    'GET /playlists/{id}/entries': async (event) => {
      const userId = userIdOf(event);
      const id = playlistId(event);
      const pageRequest = parse(pageQuerySchema, event.queryStringParameters ?? {});
      await commands.requirePlaylist(userId, id);
      const page = await playlists.listEntries(id, pageRequest);
      return ok({ items: await presentEntries(page.items), cursor: page.cursor } satisfies wire.Page<wire.PlaylistEntry>);
    },

    'GET /playlists/{id}/export': async (event) => {
      const userId = userIdOf(event);
      const id = playlistId(event);
      const { format } = parse(exportQuerySchema, event.queryStringParameters ?? {});
      return exportPlaylist(deps, await commands.requirePlaylist(userId, id), format);
    },

    'POST /playlists/{id}/entries': async (event) => {
      const userId = userIdOf(event);
      const id = playlistId(event);
      const input = parse(addEntriesSchema, jsonBody(event));
      const { value, tracks, replayed } = await commands.addEntries(
        userId,
        id,
        input,
        keyedRequest(event, `/playlists/${id}/entries`, input),
      );
      return created({ items: await presentEntries(value, tracks) } satisfies wire.AddedEntries, replayed);
    },

    'PATCH /playlists/{id}/entries/{entryId}': async (event) => {
      const userId = userIdOf(event);
      const { id, entryId } = entryPath(event);
      const { before } = parse(moveEntrySchema, jsonBody(event));
      const [entry] = await presentEntries([await commands.moveEntry(userId, id, entryId, before)]);
      return ok(entry);
    },

    'DELETE /playlists/{id}/entries/{entryId}': async (event) => {
      const userId = userIdOf(event);
      const { id, entryId } = entryPath(event);
      await commands.removeEntry(userId, id, entryId);
      return noContent();
    },
  };
}
