import { describe, expect, it } from 'vitest';
import { createApiFunctions } from './functions';
import { apiRoutes } from './routes';
import { loadApiConfig } from './config';
import { apiCors } from '../http/cors';
import { apiEvent } from '../../test/support/api-events';

describe('apiRoutes', () => {
  it('lists each route once, with a method and a path', () => {
    const keys = apiRoutes.map((r) => r.routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/[\w/{}]+$/);
    expect(keys).not.toContain('GET /health');
  });

  it('lets browsers send every method a route uses (CORS preflight)', () => {
    for (const { routeKey } of apiRoutes) expect(apiCors.allowMethods, routeKey).toContain(routeKey.split(' ')[0]);
  });

  it('sends every route to a function that serves it', async () => {
    const functions = createApiFunctions(
      loadApiConfig({
        PLAYLISTS_TABLE: 'p',
        TRACKS_TABLE: 't',
        HOME_TABLE: 'h',
        REVOCATIONS_TABLE: 'r',
        LISTENING_TABLE: 'l',
        MEDIA_BUCKET: 'm',
      }),
    );
    for (const route of apiRoutes) {
      // Without a user every served route answers 401 before touching AWS; an unserved one 404s.
      const res = await functions[route.function](apiEvent(route.routeKey));
      expect(res.statusCode, route.routeKey).toBe(401);
    }
  });
});
