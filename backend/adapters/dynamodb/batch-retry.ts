import { unavailable } from '../../domain/errors';
import { backoff } from './cursor';

/** How many times one batch is sent before DynamoDB counts as unavailable. */
const MAX_ATTEMPTS = 8;

/**
 * Sends a batch (BatchGetItem keys, BatchWriteItem requests), then again with backoff whatever
 * DynamoDB left unprocessed (`send` returns that part), until nothing is left; past MAX_ATTEMPTS
 * it fails as unavailable (503). Free of SDK imports, so the API's revocation lookup can use it
 * on the low-level client without bundling the document client.
 */
export async function sendUntilProcessed<T>(batch: T[], send: (pending: T[]) => Promise<T[]>, busyMessage?: string): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw unavailable(busyMessage);
    if (attempt > 0) await backoff(attempt);
    pending = await send(pending);
  }
}
