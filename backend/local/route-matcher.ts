import type { ApiRoute } from '../api/types';

export interface MatchedRoute<R extends ApiRoute> {
  route: R;
  pathParameters: Record<string, string>;
}

/** Matches `METHOD /path` against API Gateway route keys such as `GET /playlists/{id}`. */
export function createRouteMatcher<R extends ApiRoute>(routes: readonly R[]) {
  const compiled = routes.map((route) => {
    const [method, path] = route.routeKey.split(' ') as [string, string];
    const names: string[] = [];
    const pattern = path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]!);
        return '([^/]+)';
      })
      .join('/');
    return { route, method, regex: new RegExp(`^${pattern}$`), names };
  });

  return {
    /** Returns the route, or `undefined` and whether the path exists under another method. */
    match(method: string, path: string): MatchedRoute<R> | { route: undefined; pathExists: boolean } {
      let pathExists = false;
      for (const candidate of compiled) {
        const found = candidate.regex.exec(path);
        if (!found) continue;
        pathExists = true;
        if (candidate.method !== method) continue;
        const pathParameters = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
        return { route: candidate.route, pathParameters };
      }
      return { route: undefined, pathExists };
    },
  };
}
