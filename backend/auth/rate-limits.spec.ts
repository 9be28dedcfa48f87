import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AuthDatabaseHandle, openAuthDatabase } from './database';
import { migrateAuthDatabase } from './migrations';
import { consume, createLimiters, DEFAULT_RATE_LIMITS, giveBack, type Limiters, sweepExpiredCounters } from './rate-limits';
import { databaseTargets } from './testing/auth-test-server';

const settings = {
  ...DEFAULT_RATE_LIMITS,
  loginPerAddress: { limit: 10, windowSeconds: 60 },
  registerPerAddress: { limit: 2, windowSeconds: 60 },
};

describe.each(databaseTargets())('rate limits on $name', (target) => {
  let dir: string;
  let drop: () => Promise<void>;
  let handle: AuthDatabaseHandle;
  let limiters: Limiters;

  beforeAll(async () => {
    if (!target.enabled) return;
    dir = await mkdtemp(join(tmpdir(), 'alktunes-limits-'));
    const database = await target.create(dir);
    drop = database.drop;
    handle = openAuthDatabase(database.databaseUrl);
    await migrateAuthDatabase(handle.db, handle.dialect);
    limiters = createLimiters(handle.driver, settings);
  });
  afterAll(async () => {
    await handle?.db.destroy();
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => vi.useRealTimers());

  it.runIf(target.enabled)('lets exactly the limit of parallel events through, then says when to retry', async () => {
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => consume(limiters.loginPerAddress, '198.51.100.1')));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'rate_limited' });
    expect(refused.reason.details.retryAfter).toBeGreaterThan(55);
    expect(refused.reason.details.retryAfter).toBeLessThanOrEqual(60);
    // Another key, and the same key under another limit, have budgets of their own.
    await expect(consume(limiters.loginPerAddress, '198.51.100.2')).resolves.toBeUndefined();
    await expect(consume(limiters.registerPerAddress, '198.51.100.1')).resolves.toBeUndefined();
  });

  it.runIf(target.enabled)('takes back an event that turned out not to count', async () => {
    await consume(limiters.registerPerAddress, 'given-back');
    await consume(limiters.registerPerAddress, 'given-back');
    await giveBack(limiters.registerPerAddress, 'given-back');
    await expect(consume(limiters.registerPerAddress, 'given-back')).resolves.toBeUndefined();
    await expect(consume(limiters.registerPerAddress, 'given-back')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it.runIf(target.enabled)('starts a new window once the old one has ended, and sweeps ended ones from the table', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await consume(limiters.registerPerAddress, 'windowed');
    await consume(limiters.registerPerAddress, 'windowed');
    await expect(consume(limiters.registerPerAddress, 'windowed')).rejects.toMatchObject({ code: 'rate_limited' });

    vi.setSystemTime(Date.now() + 61_000);
    const rows = () => handle.db.selectFrom('rate_limits').select('key').where('key', 'like', '%windowed').execute();
    await consume(limiters.loginPerAddress, 'swept-later-windowed');
    expect(await rows()).toHaveLength(2);
    await sweepExpiredCounters(handle.db, Date.now());
    expect((await rows()).map((row) => row.key)).toEqual(['loginPerAddress:swept-later-windowed']);
    await expect(consume(limiters.registerPerAddress, 'windowed')).resolves.toBeUndefined();
  });
});
