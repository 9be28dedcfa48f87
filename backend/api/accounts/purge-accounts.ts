import type { PurgeQueue, UserDataStore } from '../../domain/account-purge';

/** How often the purge runs (EventBridge in the cloud, the local stack's timer): a deleted account's data is gone within this. */
export const PURGE_PERIOD_MINUTES = 10;

export interface PurgeDeps {
  queue: PurgeQueue;
  /** Every per-user store (`userDataStores`). */
  stores: readonly UserDataStore[];
  now: () => Date;
}

export interface PurgeSummary {
  /** Deleted accounts whose data was erased in this run. */
  accounts: number;
  /** Of those, the ones that are finished: their request and revocation are cleared. */
  completed: number;
  /** Items removed, per store: deleted accounts' data, and what deletes cut short left behind. */
  erased: Record<string, number>;
}

/**
 * Finishes the deletes a failure cut short in every store, then erases the data of every deleted
 * account from every per-user store. A request stays pending
 * until it settles (no token of the account can be accepted any more, so nothing can write for
 * it): until then each run erases again, catching a write that was in flight at the deletion;
 * the run after that clears it. Safe to repeat, and one account that fails does not hold up the
 * others: the run erases what it can, then fails naming them, and the next run tries again.
 */
export async function purgeDeletedAccounts(deps: PurgeDeps): Promise<PurgeSummary> {
  const summary: PurgeSummary = { accounts: 0, completed: 0, erased: Object.fromEntries(deps.stores.map((store) => [store.name, 0])) };
  const failed: { userId: string; error: unknown }[] = [];
  const unfinished: { store: string; error: unknown }[] = [];
  for (const store of deps.stores) {
    try {
      if (store.finishDeletes) summary.erased[store.name]! += await store.finishDeletes();
    } catch (error) {
      unfinished.push({ store: store.name, error });
    }
  }
  for (const request of await deps.queue.pending()) {
    try {
      for (const store of deps.stores) summary.erased[store.name]! += await store.eraseUser(request.userId);
      summary.accounts += 1;
      if (deps.now().getTime() / 1000 >= request.settlesAt) {
        await deps.queue.complete(request);
        summary.completed += 1;
      }
    } catch (error) {
      failed.push({ userId: request.userId, error });
    }
  }
  if (failed.length || unfinished.length) {
    const what = [
      ...(failed.length ? [`the data of ${failed.length} deleted account(s): ${failed.map((f) => f.userId).join(', ')}`] : []),
      ...unfinished.map((u) => `the unfinished deletes in ${u.store}`),
    ];
    throw new AggregateError(
      [...failed, ...unfinished].map((f) => f.error),
      `Could not purge ${what.join('; ')}`,
    );
  }
  return summary;
}
