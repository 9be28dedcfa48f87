import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('normalises URLs and names the field that is wrong', () => {
    expect(parseServerForm(mine)).toEqual({ urls: { ...mine, authUrl: 'https://auth.example.com' } });
    expect(parseServerForm({ ...mine, apiUrl: 'api.example.com' })).toMatchObject({
      field: 'apiUrl',
      error: expect.stringMatching(/API URL/),
    });
    expect(parseServerForm({ ...mine, mediaUrl: 'ftp://m.example.com' })).toMatchObject({ field: 'mediaUrl' });
  });

  it.each([
    'http://auth.example.com',
    'http://auth.example.com:8710/',
    'http://192.168.1.10:8710',
    'http://10.0.0.1',
    'http://[::ffff:127.0.0.1]',
    'http://[fe80::1]',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://localhost@example.com',
    'http://example.com#@localhost',
    'http://0.0.0.0:8710',
  ])('refuses plain http:// to %s, saying to use https://', (url) => {
    for (const field of ['authUrl', 'apiUrl', 'mediaUrl'] as const) {
      const parsed = parseServerForm({ ...mine, [field]: url });
      expect(parsed).toMatchObject({ field, error: expect.stringContaining('https://') });
    }
  });

  it.each([
    'http://localhost:8710',
    'http://LOCALHOST:8710/',
    'http://localhost.:8710',
    'http://api.localhost:8711',
    'http://127.0.0.1:8710',
    'http://127.8.9.10',
    'http://127.1:8710',
    'http://[::1]:8710',
    'http://[0:0:0:0:0:0:0:1]:8710',
  ])('allows plain http:// to this computer: %s', (url) => {
    const local = { authUrl: url, apiUrl: url, mediaUrl: url };
    expect(parseServerForm(local)).toEqual({
      urls: { authUrl: url.replace(/\/$/, ''), apiUrl: url.replace(/\/$/, ''), mediaUrl: url.replace(/\/$/, '') },
    });
  });

  it('allows https:// to any host, local or not', () => {
    const urls = { authUrl: 'https://10.0.0.5:8443', apiUrl: 'https://localhost:8711', mediaUrl: 'https://s3.eu-west-1.amazonaws.com' };
    expect(parseServerForm(urls)).toEqual({ urls });
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

  it('sets aside saved servers that are not https:// (saved before that was required) and uses the default ones', async () => {
    const insecure = { ...mine, authUrl: 'http://auth.example.com' };
    await customServersItem.setValue(insecure);
    vi.resetModules(); // a context starting with them saved
    const config = await import('./config');
    expect(await config.loadBackendUrls()).toEqual(config.defaultBackendUrls());

    // Saved while it runs (by an older version in another context), too.
    await config.customServersItem.setValue(mine);
    await vi.waitFor(() => expect(config.backendUrls()).toEqual(mine));
    await config.customServersItem.setValue(insecure);
    await vi.waitFor(() => expect(config.backendUrls()).toEqual(config.defaultBackendUrls()));
  });

  it.each([
    ['chrome', ['https://music.example.com:8443/*']],
    // Firefox's match patterns cannot name a port: one that did would grant nothing.
    ['firefox', ['https://music.example.com/*']],
  ])('asks %s for the origin of a server with a port in the form that browser grants', async (browserName, origins) => {
    vi.stubEnv('BROWSER', browserName);
    const request = answerPermissionPrompt(true);
    const url = 'https://music.example.com:8443';
    expect(await useServers({ authUrl: url, apiUrl: url, mediaUrl: url })).toBe(true);
    expect(request).toHaveBeenCalledWith({ origins });
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
