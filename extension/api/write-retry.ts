import { ApiError } from './api-client';

/**
 * When the extension sends a failed write to the API again — the one place that decides it.
 *
 * A write is sent again only when its first try may not have landed, or failed for a reason that
 * passes: no answer (the network failed or the attempt timed out), 502/503/504, or a 409 the
 * server marks `retryable` (a transaction lost a race). Never on another 4xx: the same request
 * would get the same answer. A 401 is not retried here; the API client refreshes the token and
 * sends the same request (same `Idempotency-Key`) once more before it gets here.
 *
 * Every write the extension sends is safe to repeat:
 * - `POST /playlists` and `POST /playlists/{id}/entries` carry an `Idempotency-Key` made once per
 *   listener action and reused by every try, and by the listener's next try of the same action
 *   while the outcome is unknown (`unfinished-actions.ts`): the server answers a repeat with the
 *   first answer, and finishes an add that stopped part way. A POST without a key must never come
 *   here.
 * - A move (`PATCH …/entries/{id}` to a fixed `before`) ends in the same order however often it
 *   lands. A rename carries its `version`: a repeat of one that landed gets a 409 and the
 *   playlists service renames the current version to the same name.
 * - A like (`PUT /me/likes/{trackId}`) and an unlike (`DELETE /me/likes/{trackId}`) end in the
 *   same state however often they land: the server answers a repeat of either with 204.
 * - A DELETE that landed answers a repeat with 404, which then means done (`goneMeansDone`): the
 *   listener wanted it gone, and it is.
 *
 * Four tries with exponential backoff and jitter (waits of 0.25–0.5 s, 0.5–1 s, 1–2 s; under
 * 10 s in all unless the server hangs), each try given `ATTEMPT_TIMEOUT_MS`.
 */
export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
/**
 * Beyond this a try counts as unanswered and is sent again. The playlists and listening functions
 * are stopped after 10 s (their timeouts in infra/stacks/api-stack.ts), so by 15 s the unanswered
 * try has ended on the server, landed or not: it cannot land after the try that replaces it, or
 * after the writes queued behind that. This is what makes sending a timed-out move, rename, like
 * or unlike again safe.
 */
export const ATTEMPT_TIMEOUT_MS = 15_000;

export interface RetryOptions {
  /** For a DELETE: a 404 on a later try means an earlier one deleted it (its answer was lost). */
  goneMeansDone?: boolean;
  /** Called before each new try, so a view can say it is trying again. */
  onRetry?: (attempt: number, cause: ApiError) => void;
}

/** Whether a write that failed with `error` may be sent again (see above). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0) return error.code === 'network_error' || error.code === 'timeout';
  if (error.status === 409) return error.details.retryable === true;
  return error.status === 502 || error.status === 503 || error.status === 504;
}

/**
 * Whether a write that failed for good with `error` may have landed, or may still be finished by a
 * repeat with its `Idempotency-Key`: everything but a refusal (a 4xx the server does not mark
 * retryable), which says the write did not happen.
 */
export function mayHaveLanded(error: unknown): boolean {
  if (!(error instanceof ApiError) || isRetryable(error)) return true;
  return error.status === 0 || error.status >= 500;
}

/** The wait before try `attempt + 1`: exponential, with jitter so clients that failed together do not return together. */
export function writeBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = BASE_DELAY_MS * 2 ** (attempt - 1);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * Sends a write (`send`, given each try's abort signal) and sends it again while it fails for a
 * reason that passes, up to `MAX_ATTEMPTS` tries; rejects with the last try's error.
 */
export async function withRetries<T>(send: (signal: AbortSignal) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(send);
    } catch (error) {
      if (options.goneMeansDone && attempt > 1 && error instanceof ApiError && error.status === 404) return undefined as T;
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      options.onRetry?.(attempt, error as ApiError);
      await new Promise((resolve) => setTimeout(resolve, writeBackoffMs(attempt)));
    }
  }
}

async function sendOnce<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The write timed out.', 'TimeoutError')), ATTEMPT_TIMEOUT_MS);
  try {
    return await send(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
