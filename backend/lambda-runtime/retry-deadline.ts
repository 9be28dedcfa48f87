import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long one API request may spend, in all, backing off to send DynamoDB writes again
 * (transaction collisions, throttling). The API's functions time out after 10 s, and a function
 * cut off by its timeout answers nothing useful (API Gateway's bare 503, a function error). So a
 * request that keeps colliding gives up after this, leaving time for the reads and writes around
 * its retries, and answers 409 or 503 itself: the client retries, with the same Idempotency-Key.
 */
export const RETRY_BUDGET_MS = 4000;

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` (one request) so that every retry inside it, across every transaction it sends,
 * ends by `budgetMs` from now.
 */
export function withRetryBudget<T>(work: () => Promise<T>, budgetMs = RETRY_BUDGET_MS): Promise<T> {
  return deadlines.run(Date.now() + budgetMs, work);
}

/** When (epoch ms) retrying must stop: the running request's deadline, or a whole budget from now outside one. */
export function retryDeadline(): number {
  return deadlines.getStore() ?? Date.now() + RETRY_BUDGET_MS;
}
