import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit';

/** A `run` whose calls stay open until the test settles them. */
function controlledRun() {
  const calls: { items: number[]; resolve: (results: string[]) => void; reject: (error: Error) => void }[] = [];
  const run = (items: number[]) => new Promise<string[]>((resolve, reject) => calls.push({ items, resolve, reject }));
  return { calls, run };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('groupCommit', () => {
  it('gathers what arrives while a call is in progress into the next call, up to size', async () => {
    const { calls, run } = controlledRun();
    const group = groupCommit(run, { size: 3, lingerMs: 0, maxWaiting: 100 });
    const first = group.add(1);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);

    const later = [2, 3, 4, 5].map((n) => group.add(n));
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(['one']);
    expect(await first).toBe('one');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.resolve(['two', 'three', 'four']);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5]]);
    calls[2]!.resolve(['five']);
    expect(await Promise.all(later)).toEqual(['two', 'three', 'four', 'five']);
  });

  it('rejects only the items of a failed call', async () => {
    const { calls, run } = controlledRun();
    const group = groupCommit(run, { size: 10, lingerMs: 0, maxWaiting: 100 });
    const failing = group.add(1);
    await tick();
    const next = group.add(2);
    calls[0]!.reject(new Error('throttled'));
    await expect(failing).rejects.toThrow('throttled');
    await tick();
    calls[1]!.resolve(['two']);
    expect(await next).toBe('two');
  });

  it('rejects the group when run returns the wrong number of results', async () => {
    const group = groupCommit(async () => ['only one'], { size: 10, lingerMs: 0, maxWaiting: 100 });
    const results = Promise.allSettled([group.add(1), group.add(2)]);
    expect((await results).map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('holds producers back while maxWaiting items wait, and flush waits for every call', async () => {
    const { calls, run } = controlledRun();
    const group = groupCommit(run, { size: 2, lingerMs: 0, maxWaiting: 2 });
    void group.add(1);
    await tick();
    void group.add(2);
    void group.add(3);
    let roomy = false;
    void group.room().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    calls[0]!.resolve(['a']);
    await tick();
    expect(roomy).toBe(true);

    let flushed = false;
    const flushing = group.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(false);
    calls[1]!.resolve(['b', 'c']);
    await flushing;
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3]]);
  });
});
