import { browser } from 'wxt/browser';
import { readSession, watchSession, type StoredSession } from '@/api/session-storage';

const ALARM = 'refresh-access-token';
/** Refresh this long before the access token expires, so a stream request never meets a dead token. */
const LEAD_MS = 60_000;
/**
 * Chrome does not fire alarms sooner than 30 s from now. This is also how long a refresh that got
 * no answer waits for its next try, which the server's refresh-token grace window outlasts.
 */
const MIN_DELAY_MS = 30_000;

/**
 * Keeps the access token fresh in the background: an alarm (which survives the service worker
 * sleeping) fires a minute before expiry and trades the refresh token for new tokens. `refresh`
 * is the API client's, which holds the extension-wide session lock, so the popup and background
 * never spend the same refresh token twice.
 */
export function keepTokenFresh(refresh: () => Promise<unknown>, log: Pick<Console, 'warn'> = console): void {
  const schedule = (session: StoredSession | null) => {
    if (!session) return void browser.alarms.clear(ALARM);
    const when = Math.max(Date.now() + MIN_DELAY_MS, session.expiresAt - LEAD_MS);
    void browser.alarms.create(ALARM, { when });
  };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== ALARM) return;
    refresh()
      .catch((error: unknown) => log.warn('[token] refresh failed', error))
      .finally(async () => schedule(await readSession()));
  });
  watchSession(schedule);
  void readSession().then(schedule);
}
