import { describe, expect, it } from 'vitest';
import { createHashGate, defaultHashGateSettings } from './hash-gate';

/** A task that runs until `finish()` is called, recording when it started. */
function pendingTask(name: string, started: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

describe('hash gate', () => {
  it('runs at most maxRunning tasks, queues maxWaiting more, and turns the rest away at once', async () => {
    const gate = createHashGate({ maxRunning: 2, maxWaiting: 2 });
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((name) => pendingTask(name, started));
    const results = tasks.map((task) => gate.run(task.run));
    const rejected = results[4]!.catch((error: unknown) => error);

    expect(await rejected).toMatchObject({ publicCode: 'server_busy', code: 'unavailable', details: { retryAfter: 1 } });
    expect(started).toEqual(['a', 'b']);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);

    tasks[0]!.finish();
    expect(await results[0]).toBe('a');
    await Promise.resolve();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const task of tasks) task.finish();
    expect(await Promise.all(results.slice(0, 4))).toEqual(['a', 'b', 'c', 'd']);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('starts priority tasks before waiting ones, with a waiting line of their own', async () => {
    const gate = createHashGate({ maxRunning: 1, maxWaiting: 1 });
    const started: string[] = [];
    const running = pendingTask('running', started);
    const waiting = pendingTask('waiting', started);
    const owner = pendingTask('owner', started);
    const results = [gate.run(running.run), gate.run(waiting.run), gate.run(owner.run, { priority: true })];
    await expect(gate.run(async () => 'another stranger')).rejects.toMatchObject({ publicCode: 'server_busy' });

    running.finish();
    owner.finish();
    waiting.finish();
    await Promise.all(results);
    expect(started).toEqual(['running', 'owner', 'waiting']);
  });

  it('frees the slot of a task that fails', async () => {
    const gate = createHashGate({ maxRunning: 1, maxWaiting: 0 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });

  it('defaults to one hash per core and eight waiting per core', () => {
    const { maxRunning, maxWaiting } = defaultHashGateSettings();
    expect(maxRunning).toBeGreaterThanOrEqual(1);
    expect(maxWaiting).toBe(8 * maxRunning);
  });
});
