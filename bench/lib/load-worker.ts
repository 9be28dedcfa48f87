import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { LoadJob, LoadResult, LoadScenario } from './load-scenario';

/**
 * Runs one autocannon job on its own thread, so generating load does not share an event loop
 * with the stack being measured. Started by `runLoad` (load.ts).
 */
type CursorContext = { cursor?: string };

function requestsFor(scenario: LoadScenario, onCycle: () => void): autocannon.Request[] {
  if (scenario.kind === 'pool') {
    let next = 0;
    const { requests } = scenario;
    return [{ setupRequest: (request) => ({ ...request, ...requests[next++ % requests.length] }) }];
  }
  const pagePath = (cursor?: string) =>
    `${scenario.path}?${new URLSearchParams({ limit: String(scenario.limit), ...(cursor ? { cursor } : {}) })}`;
  const keepCursor = (status: number, body: string, context: object) => {
    const cursor = status === 200 ? (JSON.parse(body) as { cursor?: string }).cursor : undefined;
    (context as CursorContext).cursor = cursor;
    if (!cursor) onCycle();
  };
  const first: autocannon.Request = { method: 'GET', path: pagePath(), onResponse: keepCursor };
  // Returning nothing once the cursor runs out makes autocannon start over from the first page.
  const following: autocannon.Request = {
    setupRequest: (request, context) => {
      const { cursor } = context as CursorContext;
      return (cursor ? { ...request, method: 'GET', path: pagePath(cursor) } : undefined) as autocannon.Request;
    },
    onResponse: keepCursor,
  };
  return [first, ...Array.from({ length: scenario.maxPages - 1 }, () => ({ ...following }))];
}

const job = workerData as LoadJob;
let cycles = 0;
const options: autocannon.Options = {
  url: job.url,
  headers: job.headers,
  connections: job.connections,
  duration: job.durationSeconds,
  requests: requestsFor(job.scenario, () => cycles++),
};
// Off the main thread autocannon hands back its raw counters; `aggregateResult` (untyped) turns them into a Result.
type RawResult = { totalCompletedRequests: number; duration: number };
const { aggregateResult } = autocannon as unknown as {
  aggregateResult(results: RawResult[], options: autocannon.Options): autocannon.Result;
};
const raw = (await autocannon(options)) as unknown as RawResult;
const result = aggregateResult([raw], options);
parentPort?.postMessage({
  requests: raw.totalCompletedRequests,
  requestsPerSecond: raw.totalCompletedRequests / raw.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  cycles,
} satisfies LoadResult);
