import type { ApiEvent } from '../../backend/api/types';

export interface EventOptions {
  /** The verified user; omit for an unauthenticated request. */
  sub?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

let requestCounter = 0;

/**
 * A synthetic API Gateway v2 event as the JWT authorizer would pass it on, e.g.
 * `apiEvent('GET /playlists/{id}', { sub: 'u1', pathParameters: { id } })`.
 */
export function apiEvent(routeKey: string, options: EventOptions = {}): ApiEvent {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? `{${name}}`);
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const now = new Date();
  const requestId = `req-${++requestCounter}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.sub ? { sub: options.sub } : {}, scopes: [] },
      },
    },
  } as ApiEvent;
}

/** The parsed JSON body of a handler result. */
export function bodyOf<T = Record<string, unknown>>(result: { body?: string }): T {
  return JSON.parse(result.body ?? 'null') as T;
}
