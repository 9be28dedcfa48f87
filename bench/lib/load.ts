import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadResult } from './load-scenario';

export type { LoadJob, LoadRequest, LoadResult, LoadScenario } from './load-scenario';

/** Runs one autocannon job in a worker thread and resolves with its summary. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: job });
    let result: LoadResult | undefined;
    worker.once('message', (message: LoadResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load worker exited with code ${code} and no result`))));
  });
}
