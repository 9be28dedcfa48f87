import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** Requests per kind, e.g. `{ GetItem: 2, Query: 1 }`. */
export type RequestCounts = Record<string, number>;

export interface RequestCounter {
  /** Requests since the last reset. */
  total(): number;
  byKind(): RequestCounts;
  reset(): void;
  stop(): void;
}

/**
 * Counts the requests an in-process HTTP server listening at `endpoint` receives, grouped by
 * `kindOf` (requests it returns undefined for are skipped). It listens on Node's
 * `http.server.request.start` diagnostics channel, so neither the servers, the handlers nor
 * the SDK clients change to be measured, and SDK retries count like any other call.
 */
export function countServerRequests(endpoint: string, kindOf: (request: IncomingMessage) => string | undefined): RequestCounter {
  const port = Number(new URL(endpoint).port);
  return countOnChannel('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    return request.socket.localPort === port ? kindOf(request) : undefined;
  });
}

/**
 * Counts the requests this process sends to `endpoint` (a server in another process, such as
 * DynamoDB Local), grouped by `kindOf`, from Node's `http.client.request.start` diagnostics
 * channel: each attempt of an SDK retry counts, and nothing in the SDK clients changes.
 */
export function countClientRequests(endpoint: string, kindOf: (request: OutgoingRequest) => string | undefined): RequestCounter {
  const host = new URL(endpoint).host;
  return countOnChannel('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    return request.getHeader('host') === host ? kindOf(request) : undefined;
  });
}

/** Counts the messages of a diagnostics channel by the kind `kindOf` gives them (undefined: not counted). */
function countOnChannel(channel: string, kindOf: (message: unknown) => string | undefined): RequestCounter {
  let counts: RequestCounts = {};
  const onMessage = (message: unknown) => {
    const kind = kindOf(message);
    if (kind !== undefined) counts[kind] = (counts[kind] ?? 0) + 1;
  };
  subscribe(channel, onMessage);
  return {
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    byKind: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    stop: () => unsubscribe(channel, onMessage),
  };
}

/** What `countClientRequests` hands its `kindOf` of a request this process sends. */
export type OutgoingRequest = Pick<ClientRequest, 'getHeader'>;

/** DynamoDB API calls by operation (`X-Amz-Target: DynamoDB_20120810.Query` → `Query`); health checks are skipped. */
export const dynamoOperation = (request: IncomingMessage | OutgoingRequest): string | undefined => {
  const target = 'getHeader' in request ? request.getHeader('x-amz-target') : request.headers['x-amz-target'];
  return typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : undefined;
};

/**
 * Resolves once `counter` has seen no new request for `quietMs`. A load run ends when the load
 * generator stops, but the requests it left in flight keep the stack busy for a moment longer.
 */
export async function settled(counter: RequestCounter, quietMs = 300): Promise<void> {
  for (let seen = -1; seen !== counter.total();) {
    seen = counter.total();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}
