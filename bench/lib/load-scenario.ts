/** One HTTP request of a load scenario; `body` is already serialized JSON. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: string;
}

/**
 * What each connection sends, as plain data (it crosses into the load worker):
 * - `pool`: every request takes the next one from a shared pool, round robin, so concurrent
 *   connections work on different items (e.g. move different entries);
 * - `paging`: reads `path` page by page with `?limit=`, following the cursor, then starts over.
 */
export type LoadScenario = { kind: 'pool'; requests: LoadRequest[] } | { kind: 'paging'; path: string; limit: number; maxPages: number };

/** A job for the load worker: one autocannon run. */
export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  scenario: LoadScenario;
}

/** What one autocannon run measured; latencies in milliseconds. */
export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Full passes through a `paging` scenario (0 for `pool`). */
  cycles: number;
}
