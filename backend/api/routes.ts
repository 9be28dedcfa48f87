import type { ApiRoute, FunctionName } from './types';

const routesOf = (fn: FunctionName, routeKeys: string[]): ApiRoute[] => routeKeys.map((routeKey) => ({ routeKey, function: fn }));

/**
 * Every API Gateway route and the Lambda that serves it. The infra stack creates one route
 * per entry (all behind the JWT authorizer); `GET /health` is answered by the gateway itself.
 */
export const apiRoutes: readonly ApiRoute[] = [
  ...routesOf('playlists', [
    'GET /playlists',
    'POST /playlists',
    'GET /playlists/{id}',
    'PATCH /playlists/{id}',
    'DELETE /playlists/{id}',
    'GET /playlists/{id}/export',
    'GET /playlists/{id}/entries',
    'POST /playlists/{id}/entries',
    'PATCH /playlists/{id}/entries/{entryId}',
    'DELETE /playlists/{id}/entries/{entryId}',
  ]),
  ...routesOf('playlistImport', ['POST /playlists/import']),
  ...routesOf('catalog', [
    'GET /tracks',
    'GET /tracks/{id}',
    'GET /tracks/{id}/stream',
    'GET /albums',
    'GET /albums/{id}',
    'GET /artists',
    'GET /artists/{id}',
  ]),
  ...routesOf('home', ['GET /home']),
  ...routesOf('search', ['GET /search', 'GET /search/suggest']),
  ...routesOf('listening', [
    'POST /me/plays',
    'GET /me/history',
    'DELETE /me/history',
    'PUT /me/likes/{trackId}',
    'DELETE /me/likes/{trackId}',
    'GET /me/likes',
    'GET /me/likes/ids',
    'GET /me/settings',
    'PATCH /me/settings',
  ]),
];
