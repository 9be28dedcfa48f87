import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiHandler, ApiResult, ApiRoute, FunctionName } from '../api/types';
import { apiCors, EXTENSION_ORIGINS, isAllowedOrigin } from '../http/cors';
import { inFunctionLogContext } from '../lambda-runtime/logger';
import { toApiEvent } from './api-event';
import type { JwtAuthorizer } from './jwt-authorizer';
import { createRouteMatcher } from './route-matcher';

/** API Gateway's payload limit for HTTP APIs. */
const maxBodyBytes = 10 * 1024 * 1024;

export interface GatewayOptions {
  routes: readonly ApiRoute[];
  functions: Record<FunctionName, ApiHandler>;
  authorizer: JwtAuthorizer;
  /** Answers `GET /health`; throws when a dependency is down. */
  health: () => Promise<void>;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * The local stand-in for API Gateway: routes requests by route key, rejects them with 401
 * unless the JWT authorizer accepts the bearer token, and invokes the Lambda handler with a
 * payload-2.0 event. Gateway-generated errors use API Gateway's `{message}` body plus the
 * project's `{error}` body, so clients can rely on either.
 */
export function createGateway(options: GatewayOptions): Server {
  const matcher = createRouteMatcher(options.routes);
  // As on Lambda, each function's log lines name it (its service) and the request.
  const functions = Object.fromEntries(
    Object.entries(options.functions).map(([name, handler]) => [name, inFunctionLogContext(name, handler)]),
  ) as Record<FunctionName, ApiHandler>;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') return sendPreflight(req, res);
    if (req.method === 'GET' && url.pathname === '/health') {
      try {
        await options.health();
        return send(res, req, { statusCode: 200, body: JSON.stringify({ status: 'ok' }) });
      } catch {
        return gatewayError(res, req, 503, 'unavailable', 'Service Unavailable');
      }
    }

    let matched;
    try {
      matched = matcher.match(req.method ?? 'GET', url.pathname);
    } catch {
      return gatewayError(res, req, 400, 'invalid_input', 'Bad Request');
    }
    if (!matched.route) return gatewayError(res, req, 404, 'not_found', 'Not Found');

    const claims = await options.authorizer.authorize(req.headers.authorization);
    if (!claims) return gatewayError(res, req, 401, 'unauthorized', 'Unauthorized');

    const body = await readBody(req);
    if (!body) return gatewayError(res, req, 413, 'too_large', 'Request Entity Too Large');

    const event = toApiEvent(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '' },
      { routeKey: matched.route.routeKey, pathParameters: matched.pathParameters },
      claims,
    );
    try {
      const result = await functions[matched.route.function](event);
      return send(res, req, result);
    } catch (error) {
      // A Lambda that throws gives API Gateway's bare 500.
      options.log({ level: 'error', msg: 'handler threw', route: matched.route.routeKey, error: String(error) });
      return gatewayError(res, req, 500, 'internal', 'Internal Server Error');
    }
  }

  return createServer((req, res) => {
    const started = performance.now();
    handle(req, res)
      .then((status) =>
        options.log({
          level: 'info',
          msg: 'request',
          method: req.method,
          path: req.url?.split('?')[0],
          status,
          ms: Math.round(performance.now() - started),
        }),
      )
      .catch((error: unknown) => {
        // A client that hangs up before its body has arrived is no gateway failure (nginx logs it as 499).
        if (!req.complete && req.destroyed) {
          options.log({ level: 'info', msg: 'client closed request', method: req.method, path: req.url?.split('?')[0], status: 499 });
          return;
        }
        options.log({ level: 'error', msg: 'gateway failure', error: String(error) });
        if (!res.headersSent) gatewayError(res, req, 500, 'internal', 'Internal Server Error');
      });
  });
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The API's CORS headers (`apiCors`, as API Gateway answers them) for a request from the extension. */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!isAllowedOrigin(origin, EXTENSION_ORIGINS)) return {};
  return { 'access-control-allow-origin': origin!, 'access-control-expose-headers': apiCors.exposeHeaders.join(','), vary: 'origin' };
}

function sendPreflight(req: IncomingMessage, res: ServerResponse): number {
  res
    .writeHead(204, {
      ...corsHeaders(req),
      'access-control-allow-methods': apiCors.allowMethods.join(','),
      'access-control-allow-headers': apiCors.allowHeaders.join(','),
      'access-control-max-age': String(apiCors.maxAgeSeconds),
    })
    .end();
  return 204;
}

function send(res: ServerResponse, req: IncomingMessage, result: ApiResult): number {
  const status = result.statusCode ?? 200;
  const headers: Record<string, string | string[]> = { ...corsHeaders(req) };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body && !headers['content-type']) headers['content-type'] = 'application/json';
  res.writeHead(status, headers).end(body);
  return status;
}

function gatewayError(res: ServerResponse, req: IncomingMessage, status: number, code: string, message: string): number {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...corsHeaders(req) };
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  res.writeHead(status, headers).end(JSON.stringify({ message, error: { code, message } }));
  return status;
}
