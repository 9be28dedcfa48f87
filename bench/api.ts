/**
 * API throughput and latency through the local gateway, with DynamoDB calls per request.
 * Starts a fresh local stack per run, loads it with autocannon from a worker thread and prints
 * Markdown tables. Options (flag or env): --runs=3 --duration=10 --connections=50 --entries=500.
 * Exits with 1 if any request failed.
 */
import { ApiClient } from '../test/support/api-client';
import { addRequests, createApiFixtures, moveRequests, type ApiFixtures } from './lib/api-fixtures';
import { runLoad, type LoadScenario } from './lib/load';
import { startFreshStack } from '../test/support/local-stack';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, round, saveResults, withSpread, type Figure } from './lib/report';
import { median } from '../test/support/statistics';
import { countClientRequests, countServerRequests, dynamoOperation, settled, type RequestCounts } from '../test/support/request-counter';

const options = {
  runs: numberOption('runs', 3),
  durationSeconds: numberOption('duration', 10),
  connections: numberOption('connections', 50),
  entryCount: numberOption('entries', 500),
  /** The extension reads playlists 200 entries at a time (the API's largest page). */
  pageSize: 200,
  /** Sequential requests per endpoint whose DynamoDB calls are counted one by one. */
  probeRequests: 20,
};

interface Endpoint {
  name: string;
  scenario: LoadScenario;
}

interface EndpointRun {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** DynamoDB calls per API request, measured sequentially, and by operation. */
  dynamoCalls: number;
  operations: RequestCounts;
  /** The same ratio over the whole load run (retries and races included). */
  dynamoCallsUnderLoad: number;
  /** Full playlist reads per second (paging only). */
  cyclesPerSecond?: number;
}

function endpoints(fixtures: ApiFixtures): Endpoint[] {
  const entries = `/playlists/${fixtures.readPlaylistId}/entries`;
  return [
    { name: 'list playlists', scenario: { kind: 'pool', requests: [{ method: 'GET', path: '/playlists' }] } },
    {
      name: `entries, first page (${options.pageSize})`,
      scenario: { kind: 'pool', requests: [{ method: 'GET', path: `${entries}?limit=${options.pageSize}` }] },
    },
    {
      name: `entries, all ${options.entryCount} by cursor`,
      scenario: { kind: 'paging', path: entries, limit: options.pageSize, maxPages: Math.ceil(options.entryCount / options.pageSize) + 1 },
    },
    { name: 'add entry', scenario: { kind: 'pool', requests: addRequests(fixtures, 20_000) } },
    { name: 'move entry', scenario: { kind: 'pool', requests: moveRequests(fixtures, 20_000) } },
  ];
}

/** Replays the start of a scenario one request at a time (also warming the stack up). */
async function probe(api: ApiClient, scenario: LoadScenario, count: number): Promise<void> {
  if (scenario.kind === 'pool') {
    for (let i = 0; i < count; i++) {
      const { method, path, body } = scenario.requests[i % scenario.requests.length]!;
      const response = await api.request(method, path, body === undefined ? undefined : JSON.parse(body));
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return;
  }
  for (let sent = 0, cursor: string | undefined; sent < count;) {
    const query = new URLSearchParams({ limit: String(scenario.limit), ...(cursor ? { cursor } : {}) });
    const response = await api.get<{ cursor?: string }>(`${scenario.path}?${query}`);
    if (response.status !== 200) throw new Error(`GET ${scenario.path}: ${response.status}`);
    cursor = response.body.cursor;
    sent++;
  }
}

async function runOnce(run: number): Promise<EndpointRun[]> {
  const fresh = await startFreshStack('bench-api');
  const { stack } = fresh;
  const dynamo = countClientRequests(stack.dynamodb, dynamoOperation);
  const gateway = countServerRequests(stack.api, () => 'request');
  try {
    const fixtures = await createApiFixtures(stack, { playlistCount: 20, entryCount: options.entryCount });
    const results: EndpointRun[] = [];
    for (const endpoint of endpoints(fixtures)) {
      dynamo.reset();
      gateway.reset();
      await probe(fixtures.api, endpoint.scenario, options.probeRequests);
      const operations = Object.fromEntries(Object.entries(dynamo.byKind()).map(([op, n]) => [op, n / gateway.total()]));
      const dynamoCalls = dynamo.total() / gateway.total();

      dynamo.reset();
      gateway.reset();
      const load = await runLoad({
        url: stack.api,
        headers: { authorization: `Bearer ${fixtures.accessToken}`, 'content-type': 'application/json' },
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        scenario: endpoint.scenario,
      });
      await settled(dynamo);
      results.push({
        name: endpoint.name,
        requestsPerSecond: load.requestsPerSecond,
        p50: load.p50,
        p99: load.p99,
        failures: load.non2xx + load.errors,
        dynamoCalls,
        operations,
        dynamoCallsUnderLoad: dynamo.total() / gateway.total(),
        ...(endpoint.scenario.kind === 'paging' ? { cyclesPerSecond: load.cycles / options.durationSeconds } : {}),
      });
      console.error(
        `  run ${run}: ${endpoint.name}: ${round(load.requestsPerSecond)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.non2xx + load.errors} failed`,
      );
    }
    return results;
  } finally {
    dynamo.stop();
    gateway.stop();
    await fresh.stop();
  }
}

const formatOperations = (operations: RequestCounts) =>
  Object.entries(operations)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${round(n, 2)} ${op}`)
    .join(' + ');

function summarize(runs: EndpointRun[][]): string {
  const names = runs[0]!.map((r) => r.name);
  const rows = names.map((name) => {
    const all = runs.map((results) => results.find((r) => r.name === name)!);
    const pick = (f: (r: EndpointRun) => number) => all.map(f);
    const cycles = all[0]!.cyclesPerSecond === undefined ? '' : ` (${round(median(pick((r) => r.cyclesPerSecond!)))} full reads/s)`;
    return [
      name,
      withSpread(pick((r) => r.requestsPerSecond)) + cycles,
      withSpread(pick((r) => r.p50)),
      withSpread(pick((r) => r.p99)),
      String(all.reduce((sum, r) => sum + r.failures, 0)),
      `${round(median(pick((r) => r.dynamoCalls)), 2)} (${formatOperations(all[0]!.operations)})`,
      round(median(pick((r) => r.dynamoCallsUnderLoad)), 3),
    ];
  });
  return markdownTable(
    ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx + errors', 'DynamoDB calls/request', 'calls/request under load'],
    rows,
  );
}

console.error(`API bench: ${options.runs} run(s), ${options.connections} connections, ${options.durationSeconds} s per endpoint`);
const loadBefore = loadNote();
const runs: EndpointRun[][] = [];
for (let run = 1; run <= options.runs; run++) runs.push(await runOnce(run));
const loadAfter = loadNote();

console.log(`\n${summarize(runs)}\n`);
console.log(
  `Medians of ${options.runs} run(s) (min–max in brackets); ${options.connections} connections, ${options.durationSeconds} s per endpoint;`,
);
console.log(
  `${options.entryCount}-entry playlists, pages of ${options.pageSize}. Machine: ${machineNote()}; ${loadBefore} before, ${loadAfter} after.`,
);
console.log(`Saved to ${await saveResults('api', { options, load: { before: loadBefore, after: loadAfter }, runs })}`);
const figures: Figure[] = runs[0]!.flatMap(({ name }) => {
  const pick = (f: (r: EndpointRun) => number) => runs.map((results) => f(results.find((r) => r.name === name)!));
  const at = `${name}, ${options.connections} connections`;
  return [
    figure(
      `API p50 — ${at}`,
      pick((r) => r.p50),
      'ms',
    ),
    figure(
      `API p99 — ${at}`,
      pick((r) => r.p99),
      'ms',
      { op: '<', value: 1000 },
    ),
    figure(
      `API req/s — ${at}`,
      pick((r) => r.requestsPerSecond),
      'req/s',
    ),
  ];
});
figures.push(
  figure('API failed requests (non-2xx + errors), all endpoints', [runs.flat().reduce((sum, r) => sum + r.failures, 0)], 'requests', {
    op: '<=',
    value: 0,
  }),
);
await emitFigures('api', figures);
if (runs.flat().some((r) => r.failures > 0)) {
  console.error('Some requests failed (non-2xx or connection errors): the figures above do not count.');
  process.exitCode = 1;
}
