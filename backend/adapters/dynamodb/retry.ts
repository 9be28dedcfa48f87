import { unavailable } from '../../domain/errors';

/**
 * Jittered exponential backoff before attempt `attempt + 1`: between half of `firstMs` and
 * `firstMs` the first time, twice that each next time, at most 1.6 s.
 */
export const backoffMs = (attempt: number, firstMs = 50) => Math.min(1600, firstMs * 2 ** attempt) * (0.5 + Math.random() / 2);

/** Batches and catalog saves wait 50–100 ms before their first retry (a transaction's collisions 25–50 ms). */
export const BATCH_FIRST_BACKOFF_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What an attempt answers when it should be made again; `reason` is handed to `giveUp` after the last one. */
export interface Again {
  readonly again: true;
  readonly reason?: unknown;
}

export const again = (reason?: unknown): Again => ({ again: true, reason });

const isAgain = (value: unknown): value is Again => typeof value === 'object' && value !== null && (value as Partial<Again>).again === true;

export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Epoch ms past which no backoff starts (a request's retry budget, `retry-deadline.ts`). */
  deadline?: number;
  /** The longest first wait (`backoffMs`); 50 ms unless given. */
  firstBackoffMs?: number;
  /** The error thrown when attempts or time run out, from the last attempt's reason. */
  giveUp: (reason: unknown) => Error;
}

/**
 * The one retry loop of the DynamoDB adapters: runs `attempt(0)`, `attempt(1)` … with jittered
 * backoff between them until one returns something other than `again(…)`. An error thrown by an
 * attempt is not retried: only the attempt knows which failures are worth another try.
 */
export async function retrying<T>(
  attempt: (n: number) => Promise<T | Again>,
  { maxAttempts, deadline = Infinity, firstBackoffMs, giveUp }: RetryOptions,
): Promise<T> {
  for (let n = 0; ; n++) {
    const result = await attempt(n);
    if (!isAgain(result)) return result;
    const delay = backoffMs(n, firstBackoffMs);
    if (n + 1 >= maxAttempts || Date.now() + delay > deadline) throw giveUp(result.reason);
    await sleep(delay);
  }
}

/** How many times one batch is sent before DynamoDB counts as unavailable. */
const MAX_BATCH_ATTEMPTS = 8;

/**
 * Sends a batch (BatchGetItem keys, BatchWriteItem requests), then again with backoff whatever
 * DynamoDB left unprocessed (`send` returns that part), until nothing is left; past
 * MAX_BATCH_ATTEMPTS it fails as unavailable (503). Free of SDK imports, so the API's revocation
 * lookup can use it on the low-level client without bundling the document client.
 */
export async function sendUntilProcessed<T>(batch: T[], send: (pending: T[]) => Promise<T[]>, busyMessage?: string): Promise<void> {
  let pending = batch;
  if (!pending.length) return;
  await retrying(
    async () => {
      pending = await send(pending);
      return pending.length ? again() : undefined;
    },
    { maxAttempts: MAX_BATCH_ATTEMPTS, firstBackoffMs: BATCH_FIRST_BACKOFF_MS, giveUp: () => unavailable(busyMessage) },
  );
}
