import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { conflict, unavailable } from '../../domain/errors';
import { retryDeadline } from '../../lambda-runtime/retry-deadline';
import { again, retrying } from './retry';

/** One action of a TransactWriteItems (Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/** How many times a transaction is sent at most, however much of the retry budget is left. */
const MAX_ATTEMPTS = 8;

/**
 * A transaction DynamoDB refused because one of its conditions failed. `failed[i]` is true when
 * the condition of `TransactItems[i]` did not hold, so the caller can tell which one.
 */
export class TransactionConditionFailed extends Error {
  constructor(readonly failed: readonly boolean[]) {
    super(`Transaction condition failed on action(s) ${failed.flatMap((f, i) => (f ? [i] : [])).join(', ')}`);
    this.name = 'TransactionConditionFailed';
  }
}

/** Cancellation reasons of a transaction that may go through when sent again. `None`: this action was fine. */
const COLLIDED = new Set(['None', 'TransactionConflict']);
const THROTTLED = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * Why DynamoDB cancelled a transaction, by its per-action reasons: a failed condition (the
 * caller's business), a collision with another transaction or throttling (worth sending again),
 * or anything else (a validation error, a full item collection, a code we do not know), which
 * no retry can fix.
 */
function verdictOf(error: TransactionCanceledException): 'condition' | 'collided' | 'throttled' | 'refused' {
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  if (!codes.length || codes.some((code) => code !== 'ConditionalCheckFailed' && !COLLIDED.has(code) && !THROTTLED.has(code)))
    return 'refused';
  if (codes.includes('ConditionalCheckFailed')) return 'condition';
  return codes.some((code) => THROTTLED.has(code)) ? 'throttled' : 'collided';
}

const failedConditions = (error: TransactionCanceledException) =>
  (error.CancellationReasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed');

/**
 * TransactWriteItems: all of `items` or none. A collision with a concurrent transaction on the
 * same items (`TransactionConflict`) and throttling are retried with jittered backoff, within
 * the request's retry budget (`retry-deadline.ts`); then a collision is answered as a retryable
 * 409 conflict and throttling as 503 unavailable. A failed condition throws
 * `TransactionConditionFailed` naming the actions that failed. Any other cancellation (e.g. a
 * ValidationError) is thrown as it is, unretried: a bug, not a busy table.
 */
export async function transactWrite(doc: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  if (items.length > MAX_TRANSACTION_ACTIONS)
    throw new Error(`A transaction holds at most ${MAX_TRANSACTION_ACTIONS} actions, got ${items.length}`);
  return retrying(
    async () => {
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const verdict = verdictOf(error);
        if (verdict === 'refused') throw error;
        if (verdict === 'condition') throw new TransactionConditionFailed(failedConditions(error));
        return again(error);
      }
    },
    {
      maxAttempts: MAX_ATTEMPTS,
      deadline: retryDeadline(),
      giveUp: (error) =>
        verdictOf(error as TransactionCanceledException) === 'throttled'
          ? unavailable('Too many writes at once; try again shortly', error)
          : conflict('Someone else is changing the same items; try again', { retryable: true }),
    },
  );
}
