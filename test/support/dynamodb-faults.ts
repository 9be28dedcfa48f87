import { createDynamoClients, type DynamoClients } from '../../backend/adapters/dynamodb/client';

/** Where an injected fault strikes a write: before DynamoDB sees it, or after it was applied (the answer is lost). */
export type FaultMode = 'before' | 'after';

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/**
 * DynamoDB clients whose `failAt`-th write from now fails like a dropped connection (ECONNRESET),
 * the way a Lambda that dies or loses its network mid-request leaves a write path: everything
 * before that write is stored, nothing after it is sent. Reads always pass.
 */
export function faultyDynamoClients(options: { region: string; endpoint?: string }): DynamoClients & {
  /** Fails the `failAt`-th write from now (1 = the next one); later writes fail too until `heal()`. */
  failWrite(failAt: number, mode?: FaultMode): void;
  heal(): void;
  /** Writes sent since the last `failWrite` or `heal`. */
  readonly writes: number;
} {
  const clients = createDynamoClients(options);
  let fault: { failAt: number; mode: FaultMode } | undefined;
  let writes = 0;
  clients.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!writeCommands.has(context.commandName ?? '')) return next(args);
      writes += 1;
      if (!fault || writes < fault.failAt) return next(args);
      // Only the first faulty write may reach DynamoDB: the process is gone after it.
      if (fault.mode === 'after' && writes === fault.failAt) await next(args);
      throw Object.assign(new Error('connection reset (injected fault)'), { code: 'ECONNRESET' });
    },
    { step: 'initialize', name: 'injectedFaults' },
  );
  return {
    ...clients,
    failWrite(failAt, mode = 'before') {
      fault = { failAt, mode };
      writes = 0;
    },
    heal() {
      fault = undefined;
      writes = 0;
    },
    get writes() {
      return writes;
    },
  };
}
