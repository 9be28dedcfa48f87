import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { clearSession, writeSession, type StoredSession } from '@/api/session-storage';
import { keepTokenFresh } from './token-refresh';

const ALARM = 'refresh-access-token';

function session(expiresInMs: number): StoredSession {
  return {
    accessToken: 'access',
    refreshToken: 'refresh',
    expiresAt: Date.now() + expiresInMs,
    user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
  };
}

/** Storage watchers and alarm calls settle over a few turns. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function alarmAt(): Promise<number | undefined> {
  return (await fakeBrowser.alarms.get(ALARM))?.scheduledTime;
}

/** Fires the alarm as Chrome does a one-shot alarm: it is gone once it fired. */
async function fire(name = ALARM): Promise<void> {
  await fakeBrowser.alarms.clear(name);
  await fakeBrowser.alarms.onAlarm.trigger({ name, scheduledTime: Date.now(), persistAcrossSessions: false });
  await settle();
}

describe('access token refresh', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sets an alarm a minute before the stored access token expires', async () => {
    const stored = session(15 * 60_000);
    await writeSession(stored);
    keepTokenFresh(vi.fn());
    await settle();
    expect(await alarmAt()).toBe(stored.expiresAt - 60_000);
  });

  it('never asks for an alarm sooner than Chrome allows (30 s)', async () => {
    await writeSession(session(45_000));
    const before = Date.now();
    keepTokenFresh(vi.fn());
    await settle();
    expect(await alarmAt()).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('refreshes when the alarm fires and sets the next alarm from the new session', async () => {
    await writeSession(session(15 * 60_000));
    const renewed = session(30 * 60_000);
    const refresh = vi.fn(() => writeSession(renewed));
    keepTokenFresh(refresh);
    await settle();

    await fire();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await alarmAt()).toBe(renewed.expiresAt - 60_000);
  });

  it('logs a failed refresh and tries again at the next alarm', async () => {
    const stored = session(15 * 60_000);
    await writeSession(stored);
    const log = { warn: vi.fn() };
    const refresh = vi.fn(() => Promise.reject(new Error('offline')));
    keepTokenFresh(refresh, log);
    await settle();

    await fire();
    expect(log.warn).toHaveBeenCalledWith('[token] refresh failed', expect.any(Error));
    expect(await alarmAt()).toBe(stored.expiresAt - 60_000);
  });

  it('ignores other alarms and drops its own on sign-out', async () => {
    await writeSession(session(15 * 60_000));
    const refresh = vi.fn();
    keepTokenFresh(refresh);
    await settle();

    await fire('something-else');
    expect(refresh).not.toHaveBeenCalled();

    await clearSession();
    await settle();
    expect(await alarmAt()).toBeUndefined();
  });
});
