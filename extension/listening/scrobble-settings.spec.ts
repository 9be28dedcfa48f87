import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { clearSession, writeSession } from '@/api/session-storage';
import {
  DEFAULT_LISTENBRAINZ_URL,
  loadScrobbleSettings,
  normalizeListenBrainzToken,
  saveScrobbleSettings,
  scrobbleProblemItem,
  scrobbleSettingsItem,
} from './scrobble-settings';

const signIn = (id: string) =>
  writeSession({
    accessToken: 'a',
    refreshToken: 'r',
    expiresAt: Date.now() + 600_000,
    user: { id, email: `${id}@example.test`, name: id },
  });

const TOKEN = '0b7a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const EMPTY = { enabled: false, serverUrl: DEFAULT_LISTENBRAINZ_URL, token: '' };

describe('scrobble settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('belong to the Alktunes account that saved them: another account, or nobody, sees none', async () => {
    await signIn('alice');
    await saveScrobbleSettings({ enabled: true, serverUrl: 'https://lb.example', token: TOKEN });
    expect(await scrobbleSettingsItem.getValue()).toEqual({
      enabled: true,
      serverUrl: 'https://lb.example',
      token: TOKEN,
      userId: 'alice',
    });
    expect(await loadScrobbleSettings()).toMatchObject({ enabled: true, token: TOKEN });

    await signIn('bob');
    expect(await loadScrobbleSettings()).toEqual(EMPTY);
    await clearSession();
    expect(await loadScrobbleSettings()).toEqual(EMPTY);
  });

  it('are saved only while signed in', async () => {
    await expect(saveScrobbleSettings({ enabled: true, serverUrl: 'https://lb.example', token: TOKEN })).rejects.toThrow(/Sign in/);
    expect(await scrobbleSettingsItem.getValue()).toEqual(EMPTY);
  });

  it('refuse a token with a line break, a space or a character a request header cannot carry, saying so', async () => {
    await signIn('alice');
    await scrobbleProblemItem.setValue({ code: 'token_rejected', message: 'refused', at: new Date().toISOString() });
    for (const token of [`${TOKEN}\n${TOKEN}`, 'abc def', 'tökén', 'токен']) {
      expect(() => normalizeListenBrainzToken(token)).toThrow(/token/);
      await expect(saveScrobbleSettings({ enabled: true, serverUrl: 'https://lb.example', token })).rejects.toThrow(/token/);
    }
    expect(await scrobbleSettingsItem.getValue()).toEqual(EMPTY);
    expect(await scrobbleProblemItem.getValue()).not.toBeNull();
    expect(normalizeListenBrainzToken(`  ${TOKEN}\n`)).toBe(TOKEN);
  });
});
