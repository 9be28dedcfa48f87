import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { ApiEvent } from '../api/types';

export interface IncomingApiRequest {
  method: string;
  /** Path and query string, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
}

const textTypes = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

/** API Gateway passes every claim to the integration as a string. */
function claimsAsStrings(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

/**
 * Builds the payload-format-2.0 event an HTTP API hands a Lambda integration: lower-cased
 * headers joined with commas, query parameters joined with commas, a body base64-encoded
 * unless it is text, and the verified JWT claims under `requestContext.authorizer.jwt`.
 */
export function toApiEvent(
  request: IncomingApiRequest,
  route: { routeKey: string; pathParameters: Record<string, string> },
  claims: JWTPayload,
): ApiEvent {
  const url = new URL(request.url, 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const isText = request.body.length === 0 || textTypes.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(route.pathParameters).length ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claimsAsStrings(claims), scopes: [] } },
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}
