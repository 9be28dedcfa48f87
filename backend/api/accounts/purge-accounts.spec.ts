import { describe, expect, it } from 'vitest';
import type { PurgeQueue, PurgeRequest, UserDataStore } from '../../domain/account-purge';
import { purgeDeletedAccounts } from './purge-accounts';

/** A store holding item counts per user; `failFor` makes erasing that user throw. */
function fakeStore(name: string, items: Record<string, number>, failFor?: string): UserDataStore & { items: Record<string, number> } {
  return {
    name,
    items,
    async eraseUser(userId) {
      if (userId === failFor) throw new Error(`${name} unavailable`);
      const erased = items[userId] ?? 0;
      delete items[userId];
      return erased;
    },
  };
}

function fakeQueue(requests: PurgeRequest[]): PurgeQueue & { requests: PurgeRequest[] } {
  return {
    requests,
    async pending() {
      return [...this.requests];
    },
    async complete(request) {
      this.requests = this.requests.filter((r) => r.userId !== request.userId);
    },
  };
}

const at = (seconds: number) => () => new Date(seconds * 1000);

describe('purgeDeletedAccounts', () => {
  it('erases every store of each deleted account, and clears only the requests that have settled', async () => {
    const playlists = fakeStore('playlists', { usr_old: 3, usr_new: 2, usr_kept: 5 });
    const later = fakeStore('later', { usr_old: 1 });
    const queue = fakeQueue([
      { userId: 'usr_old', deletedAt: 100, settlesAt: 1_000 },
      { userId: 'usr_new', deletedAt: 900, settlesAt: 1_800 },
    ]);

    const summary = await purgeDeletedAccounts({ queue, stores: [playlists, later], now: at(1_000) });

    expect(summary).toEqual({ accounts: 2, completed: 1, erased: { playlists: 5, later: 1 } });
    expect(playlists.items).toEqual({ usr_kept: 5 });
    expect(later.items).toEqual({});
    // Until it settles a write in flight at the deletion may still land: the next run erases again.
    expect(queue.requests.map((r) => r.userId)).toEqual(['usr_new']);
  });

  it('erases again on the next run and clears the request once it has settled', async () => {
    const playlists = fakeStore('playlists', {});
    const queue = fakeQueue([{ userId: 'usr_new', deletedAt: 900, settlesAt: 1_800 }]);
    await purgeDeletedAccounts({ queue, stores: [playlists], now: at(1_200) });
    playlists.items.usr_new = 1; // written by a request that was already past its check
    const summary = await purgeDeletedAccounts({ queue, stores: [playlists], now: at(1_800) });
    expect(summary).toEqual({ accounts: 1, completed: 1, erased: { playlists: 1 } });
    expect(queue.requests).toEqual([]);
  });

  it('goes on with the other accounts when one fails, then fails naming it and keeps its request', async () => {
    const playlists = fakeStore('playlists', { usr_a: 1, usr_b: 1, usr_c: 1 }, 'usr_b');
    const queue = fakeQueue(['usr_a', 'usr_b', 'usr_c'].map((userId) => ({ userId, deletedAt: 0, settlesAt: 0 })));

    const run = purgeDeletedAccounts({ queue, stores: [playlists], now: at(10) });

    await expect(run).rejects.toThrow(AggregateError);
    await expect(run).rejects.toThrow('Could not purge the data of 1 deleted account(s): usr_b');
    expect(playlists.items).toEqual({ usr_b: 1 });
    expect(queue.requests.map((r) => r.userId)).toEqual(['usr_b']);
  });

  it('finishes every store’s cut-short deletes on each run, and names a store whose sweep failed', async () => {
    const playlists = { ...fakeStore('playlists', { usr_a: 2 }), finishDeletes: async () => 4 };
    const queue = fakeQueue([{ userId: 'usr_a', deletedAt: 0, settlesAt: 0 }]);
    expect(await purgeDeletedAccounts({ queue, stores: [playlists], now: at(10) })).toEqual({
      accounts: 1,
      completed: 1,
      erased: { playlists: 6 },
    });

    const failing = {
      ...fakeStore('playlists', { usr_b: 1 }),
      finishDeletes: async () => {
        throw new Error('sweep unavailable');
      },
    };
    const next = fakeQueue([{ userId: 'usr_b', deletedAt: 0, settlesAt: 0 }]);
    await expect(purgeDeletedAccounts({ queue: next, stores: [failing], now: at(10) })).rejects.toThrow(
      'Could not purge the unfinished deletes in playlists',
    );
    // The accounts are still erased.
    expect(failing.items).toEqual({});
  });

  it('does nothing when no account is waiting', async () => {
    expect(await purgeDeletedAccounts({ queue: fakeQueue([]), stores: [fakeStore('playlists', { usr_x: 1 })], now: at(0) })).toEqual({
      accounts: 0,
      completed: 0,
      erased: { playlists: 0 },
    });
  });
});
