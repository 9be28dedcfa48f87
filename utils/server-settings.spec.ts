import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { backendUrls, customServersItem, defaultBackendUrls, loadBackendUrls } from './config';
import { checkServers, parseServerForm, resetServers, useServers } from './server-settings';
import { readSession, writeSession } from './session-storage';

const mine = { authUrl: 'https://auth.example.com/', apiUrl: 'https://api.example.com/prod', mediaUrl: 'https://media.example.com' };
const session = { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 60_000, user: { id: 'u', email: 'e@x.io', name: 'E' } };

/** The permission prompt's answer (the typings pick the callback overload of \`request\`). */
const answerPermissionPrompt = (granted: boolean) =>
  vi.spyOn(browser.permissions, 'request').mockImplementation((() => Promise.resolve(granted)) as never);

describe('server settings', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
  });

  it('normalises URLs and names the field that is wrong', () => {
    expect(parseServerForm(mine)).toEqual({ urls: { ...mine, authUrl: 'https://auth.example.com' } });
    expect(parseServerForm({ ...mine, apiUrl: 'api.example.com' })).toMatchObject({ field: 'apiUrl', error: expect.stringMatching(/API URL/) });
    expect(parseServerForm({ ...mine, mediaUrl: 'ftp://m.example.com' })).toMatchObject({ field: 'mediaUrl' });
  });

  it('asks for exactly the new origins, then switches servers and signs out', async () => {
    const request = answerPermissionPrompt(true);
    await writeSession(session);
    await loadBackendUrls();
    const { urls } = parseServerForm(mine) as { urls: typeof mine };

    expect(await useServers(urls)).toBe(true);
    expect(request).toHaveBeenCalledWith({
      origins: ['https://auth.example.com/*', 'https://api.example.com/*', 'https://media.example.com/*'],
    });
    expect(await readSession()).toBeNull();
    expect(await customServersItem.getValue()).toEqual(urls);
    await vi.waitFor(() => expect(backendUrls()).toEqual(urls));

    await resetServers();
    await vi.waitFor(() => expect(backendUrls()).toEqual(defaultBackendUrls()));
  });

  it('changes nothing when the listener declines the permission', async () => {
    answerPermissionPrompt(false);
    await writeSession(session);
    expect(await useServers(mine)).toBe(false);
    expect(await readSession()).toEqual(session);
    expect(await customServersItem.getValue()).toBeNull();
  });

  it('reports which servers answer their health check', async () => {
    const doFetch = vi.fn(async (url: string) => new Response('{}', { status: url.startsWith('https://auth') ? 200 : 503 }));
    expect(await checkServers(mine, doFetch as unknown as typeof fetch)).toEqual({ authUrl: true, apiUrl: false });
  });
});
