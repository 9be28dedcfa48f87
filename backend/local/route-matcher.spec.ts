import { describe, expect, it } from 'vitest';
import type { ApiRoute } from '../api/types';
import { createRouteMatcher } from './route-matcher';

const routes: ApiRoute[] = [
  { routeKey: 'GET /playlists', function: 'playlists' },
  { routeKey: 'GET /playlists/{id}', function: 'playlists' },
  { routeKey: 'PATCH /playlists/{id}/entries/{entryId}', function: 'playlists' },
  { routeKey: 'GET /tracks/{id}/stream', function: 'catalog' },
];

describe('route matcher', () => {
  const matcher = createRouteMatcher(routes);

  it('matches static and parameterised paths and decodes parameters', () => {
    expect(matcher.match('GET', '/playlists')).toMatchObject({ route: routes[0], pathParameters: {} });
    expect(matcher.match('GET', '/playlists/p%201')).toMatchObject({ route: routes[1], pathParameters: { id: 'p 1' } });
    expect(matcher.match('PATCH', '/playlists/a/entries/b')).toMatchObject({ pathParameters: { id: 'a', entryId: 'b' } });
  });

  it('does not let a parameter span segments', () => {
    expect(matcher.match('GET', '/playlists/a/b').route).toBeUndefined();
    expect(matcher.match('GET', '/tracks/x/stream').route).toBe(routes[3]);
  });

  it('reports a path that exists under another method', () => {
    expect(matcher.match('DELETE', '/playlists')).toEqual({ route: undefined, pathExists: true });
    expect(matcher.match('GET', '/nothing')).toEqual({ route: undefined, pathExists: false });
  });
});
