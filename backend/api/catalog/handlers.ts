import type { Album, AlbumDetail, Artist, ArtistDetail, Page, StreamUrl, Track, TrackList } from '../../../shared/api';
import { idParamSchema, pageQuerySchema, trackIdsQuerySchema } from '../../../shared/api/requests';
import { notFound } from '../../domain/errors';
import type { CatalogRepository, MediaUrlSigner } from '../../domain/ports';
import { ok, parse, pathParam, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentAlbum, presentAlbums, presentTrack, presentTracks } from '../presenters';

export interface CatalogDeps {
  catalog: CatalogRepository;
  /** Presigns the tracks' cover and stream URLs in the media bucket. */
  media: MediaUrlSigner;
  /** How long a presigned URL stays valid. */
  urlTtlSeconds: number;
  now: () => Date;
}

/** Route handlers of the catalog function (tracks, albums, artists, streams). */
export function catalogRoutes({ catalog, media, urlTtlSeconds, now }: CatalogDeps): Record<string, RouteHandler> {
  const signer = () => keySigner(media, urlTtlSeconds);
  const idOf = (event: Parameters<RouteHandler>[0]) => parse(idParamSchema, { id: pathParam(event, 'id') }).id;

  return {
    'GET /tracks': async (event) => {
      userIdOf(event);
      const query = event.queryStringParameters ?? {};
      if (query.ids !== undefined) {
        const { ids } = parse(trackIdsQuerySchema, query);
        return ok({ items: await presentTracks(await catalog.getTracks(ids), signer()) } satisfies TrackList);
      }
      const page = parse(pageQuerySchema, query);
      const result = await catalog.listTracks(page);
      return ok({ items: await presentTracks(result.items, signer()), cursor: result.cursor } satisfies Page<Track>);
    },

    'GET /tracks/{id}': async (event) => {
      userIdOf(event);
      const track = await catalog.getTrack(idOf(event));
      if (!track) throw notFound('Track');
      return ok(await presentTrack(track, signer()));
    },

    'GET /tracks/{id}/stream': async (event) => {
      userIdOf(event);
      const track = await catalog.getTrack(idOf(event));
      if (!track) throw notFound('Track');
      const expiresAt = new Date(now().getTime() + urlTtlSeconds * 1000).toISOString();
      return ok({
        url: await media.signedGetUrl(track.audioKey, urlTtlSeconds),
        expiresAt,
        contentType: track.contentType,
      } satisfies StreamUrl);
    },

    'GET /albums': async (event) => {
      userIdOf(event);
      const result = await catalog.listAlbums(parse(pageQuerySchema, event.queryStringParameters ?? {}));
      return ok({ items: await presentAlbums(result.items, signer()), cursor: result.cursor } satisfies Page<Album>);
    },

    'GET /albums/{id}': async (event) => {
      userIdOf(event);
      const id = idOf(event);
      const [album, tracks] = await Promise.all([catalog.getAlbum(id), catalog.listAlbumTracks(id)]);
      if (!album) throw notFound('Album');
      const sign = signer();
      return ok({ ...(await presentAlbum(album, sign)), tracks: await presentTracks(tracks, sign) } satisfies AlbumDetail);
    },

    'GET /artists': async (event) => {
      userIdOf(event);
      return ok((await catalog.listArtists(parse(pageQuerySchema, event.queryStringParameters ?? {}))) satisfies Page<Artist>);
    },

    'GET /artists/{id}': async (event) => {
      userIdOf(event);
      const id = idOf(event);
      const [artist, albums] = await Promise.all([catalog.getArtist(id), catalog.listArtistAlbums(id)]);
      if (!artist) throw notFound('Artist');
      const albumTracks = await Promise.all(albums.map((album) => catalog.listAlbumTracks(album.id)));
      const sign = signer();
      return ok({
        ...artist,
        albums: await presentAlbums(albums, sign),
        tracks: await presentTracks(albumTracks.flat(), sign),
      } satisfies ArtistDetail);
    },
  };
}
