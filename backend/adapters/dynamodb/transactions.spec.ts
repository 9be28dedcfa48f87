import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../domain/errors';
import { RETRY_BUDGET_MS, withRetryBudget } from '../../lambda-runtime/retry-deadline';
import { TransactionConditionFailed, transactWrite, type TransactItem } from './transactions';

const items: TransactItem[] = [
  { Put: { TableName: 't', Item: { pk: 'a', sk: 'b' } } },
  { Update: { TableName: 't', Key: { pk: 'a', sk: 'c' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
];

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** A document client whose TransactWriteItems answers `outcomes` in turn (undefined: success), the last one forever. */
function fakeDoc(...outcomes: (Error | undefined)[]) {
  const send = vi.fn(async () => {
    const outcome = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
    if (outcome) throw outcome;
    return {};
  });
  return { doc: { send } as unknown as DynamoDBDocumentClient, send };
}

/** Runs `work` to its end with the backoff timers fast-forwarded; its error (or undefined) and the time it took. */
async function settle(work: () => Promise<unknown>): Promise<{ error: unknown; elapsed: number }> {
  const start = Date.now();
  let error: unknown;
  const done = work().then(
    () => undefined,
    (e: unknown) => {
      error = e;
    },
  );
  await vi.runAllTimersAsync();
  await done;
  return { error, elapsed: Date.now() - start };
}

beforeEach(() => {
  vi.useFakeTimers();
  // The longest backoff every time: the worst case for the time budget.
  vi.spyOn(Math, 'random').mockReturnValue(0.999);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('transactWrite', () => {
  it('sends the transaction once when DynamoDB takes it', async () => {
    const { doc, send } = fakeDoc(undefined);
    expect((await settle(() => transactWrite(doc, items))).error).toBeUndefined();
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('names the actions whose condition failed, without retrying', async () => {
    const { doc, send } = fakeDoc(cancelled('None', 'ConditionalCheckFailed'));
    const { error } = await settle(() => transactWrite(doc, items));
    expect(error).toBeInstanceOf(TransactionConditionFailed);
    expect((error as TransactionConditionFailed).failed).toEqual([false, true]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('retries a collision with another transaction until it goes through', async () => {
    const { doc, send } = fakeDoc(cancelled('TransactionConflict', 'None'), cancelled('None', 'TransactionConflict'), undefined);
    expect((await settle(() => transactWrite(doc, items))).error).toBeUndefined();
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('answers collisions that outlast the retries with a retryable 409', async () => {
    const { doc, send } = fakeDoc(cancelled('TransactionConflict', 'None'));
    const { error } = await settle(() => transactWrite(doc, items));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', details: { retryable: true } });
    expect(send.mock.calls.length).toBeGreaterThan(1);
  });

  it.each([['ThrottlingError'], ['ProvisionedThroughputExceeded']])('retries %s, then answers 503 unavailable', async (code) => {
    const { doc, send } = fakeDoc(cancelled('None', code), cancelled(code, 'TransactionConflict'), undefined);
    expect((await settle(() => transactWrite(doc, items))).error).toBeUndefined();
    expect(send).toHaveBeenCalledTimes(3);

    const busy = fakeDoc(cancelled(code, 'None'));
    const { error } = await settle(() => transactWrite(busy.doc, items));
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(busy.send.mock.calls.length).toBeGreaterThan(1);
  });

  it.each([['ValidationError'], ['ItemCollectionSizeLimitExceeded'], ['SomethingNew']])(
    'does not retry %s, and passes it on as the error it is (a 500, not a retryable 409)',
    async (code) => {
      const refused = cancelled('None', code);
      const { doc, send } = fakeDoc(refused);
      const { error } = await settle(() => transactWrite(doc, items));
      expect(error).toBe(refused);
      expect(send).toHaveBeenCalledTimes(1);
    },
  );

  it('does not retry a cancellation without reasons, or any other error', async () => {
    const bare = cancelled();
    const noReasons = fakeDoc(bare);
    expect((await settle(() => transactWrite(noReasons.doc, items))).error).toBe(bare);
    expect(noReasons.send).toHaveBeenCalledTimes(1);

    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const down = fakeDoc(reset);
    expect((await settle(() => transactWrite(down.doc, items))).error).toBe(reset);
    expect(down.send).toHaveBeenCalledTimes(1);
  });

  it('refuses more actions than one transaction holds', async () => {
    const { doc, send } = fakeDoc(undefined);
    const { error } = await settle(() =>
      transactWrite(
        doc,
        Array.from({ length: 101 }, () => items[0]!),
      ),
    );
    expect(error).toBeInstanceOf(Error);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the retry budget', () => {
  it('stops retrying before the budget is spent, so the function answers before its timeout', async () => {
    const { doc } = fakeDoc(cancelled('TransactionConflict'));
    const { error, elapsed } = await settle(() => transactWrite(doc, items));
    expect(error).toMatchObject({ code: 'conflict' });
    expect(elapsed).toBeLessThanOrEqual(RETRY_BUDGET_MS);
  });

  it('is shared by every transaction of one request', async () => {
    // The first transaction collides six times (3.15 s of backoff), the second one every time.
    const first = Array.from({ length: 6 }, () => cancelled('TransactionConflict'));
    const { doc } = fakeDoc(...first, undefined, cancelled('TransactionConflict'));
    const { error, elapsed } = await settle(() =>
      withRetryBudget(async () => {
        await transactWrite(doc, items);
        await transactWrite(doc, items);
      }),
    );
    expect(error).toMatchObject({ code: 'conflict' });
    expect(elapsed).toBeGreaterThan(3000);
    expect(elapsed).toBeLessThanOrEqual(RETRY_BUDGET_MS);
  });

  it('answers throttling that outlasts a short budget as unavailable', async () => {
    const { doc, send } = fakeDoc(cancelled('ThrottlingError'));
    const { error, elapsed } = await settle(() => withRetryBudget(() => transactWrite(doc, items), 200));
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(elapsed).toBeLessThanOrEqual(200);
    expect(send).toHaveBeenCalledTimes(3);
  });
});
