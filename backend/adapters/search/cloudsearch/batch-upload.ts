import { UploadDocumentsCommand, type CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
import type { BatchOperation } from './documents';

/** CloudSearch rejects batches of 5 MB or more; stay well under, the JSON framing included. */
export const MAX_BATCH_BYTES = 4.5 * 1024 * 1024;
const MAX_ATTEMPTS = 6;

/** Splits operations into JSON arrays each under `maxBytes` (UTF-8). */
export function toBatches(operations: readonly BatchOperation[], maxBytes = MAX_BATCH_BYTES): string[] {
  const batches: string[] = [];
  let parts: string[] = [];
  let size = 2; // "[" and "]"
  for (const operation of operations) {
    const json = JSON.stringify(operation);
    const bytes = Buffer.byteLength(json) + 1;
    if (bytes + 2 > maxBytes) throw new Error(`search document ${operation.id} is larger than a whole batch`);
    if (parts.length > 0 && size + bytes > maxBytes) {
      batches.push(`[${parts.join(',')}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += bytes;
  }
  if (parts.length > 0) batches.push(`[${parts.join(',')}]`);
  return batches;
}

/** Throttling and overload answers worth retrying; anything else is a real error. */
function isThrottled(error: unknown): boolean {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || status === 503 || status === 504 || /throttl|rate exceeded|slow down/i.test(`${e.name} ${e.message}`);
}

/** Uploads the operations batch by batch, backing off exponentially (with jitter) when throttled. */
export async function uploadDocuments(
  client: CloudSearchDomainClient,
  operations: readonly BatchOperation[],
  options: { maxBytes?: number; baseDelayMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<{ batches: number; adds: number; deletes: number }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const baseDelayMs = options.baseDelayMs ?? 200;
  const totals = { batches: 0, adds: 0, deletes: 0 };
  for (const batch of toBatches(operations, options.maxBytes)) {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await client.send(new UploadDocumentsCommand({ documents: Buffer.from(batch), contentType: 'application/json' }));
        totals.batches += 1;
        totals.adds += out.adds ?? 0;
        totals.deletes += out.deletes ?? 0;
        break;
      } catch (error) {
        if (!isThrottled(error) || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    }
  }
  return totals;
}
