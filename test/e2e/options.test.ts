import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../wxt.build';
import { chromiumAvailable, launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { firefoxAvailable, launchFirefox, type FirefoxWithExtension } from '../support/firefox';
import { startListenBrainzStub, type ListenBrainzStub } from '../support/listenbrainz-stub';

/** The options page needs no servers: a build pointing nowhere in particular will do. */
const backend = { authUrl: 'http://127.0.0.1:18710', apiUrl: 'http://127.0.0.1:18711', mediaUrl: 'http://127.0.0.1:18712' };

/** Both browsers name the default keys this way on the page (Firefox reports `MediaPlayPause`…). */
const DEFAULT_KEYS = [
  { command: 'toggle-playback', description: 'Play or pause', key: 'Media Play/Pause' },
  { command: 'next-track', description: 'Next track', key: 'Media Next Track' },
  { command: 'previous-track', description: 'Previous track', key: 'Media Previous Track' },
];

/** Each listed command, its description and its key, read in the page. */
const readKeys = `() => [...document.querySelectorAll('[data-testid="media-key"]')].map((item) => ({
  command: item.getAttribute('data-command'),
  description: item.querySelector('.command')?.textContent?.trim(),
  key: item.querySelector('[data-testid="media-key-assignment"]')?.textContent?.trim(),
}))`;

describe.runIf(chromiumAvailable())('the options page in Chromium', () => {
  let dir: string;
  let browser: ExtensionBrowser;
  let page: Page;
  let listenBrainz: ListenBrainzStub;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'alktunes-options-'));
    listenBrainz = await startListenBrainzStub({ token: 'lb-token-1', user: 'ada' });
    // The stub stands in for the media origin too, so the build already has access to it: Chromium
    // answers the page's permission request without the prompt a headless browser cannot click.
    const extensionDir = await buildExtension({
      ...backend,
      mediaUrl: listenBrainz.url,
      outDir: path.join(dir, 'build'),
      browser: 'chrome',
    });
    browser = await launchWithExtension(path.join(dir, 'profile'), extensionDir);
    page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  });

  afterAll(async () => {
    await browser?.context.close();
    await listenBrainz?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the three media-key commands with the keys Chromium assigned them', async () => {
    await expect.poll(() => page.evaluate(`(${readKeys})()`)).toEqual(DEFAULT_KEYS);
    expect(await page.getByTestId('media-keys-missing').count()).toBe(0);
    expect(await page.locator('section[aria-labelledby="media-keys-title"] input[type="checkbox"]').count()).toBe(0);
  });

  /** Signs `id` in, as the popup leaves a session in storage (no server is asked: the page only reads whose it is). */
  const signInAs = (id: string) => {
    const session = {
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 3_600_000,
      user: { id, email: `${id}@example.com`, name: id },
    };
    return page.evaluate(`chrome.storage.local.set(${JSON.stringify({ session })})`);
  };

  it('checks a ListenBrainz token against the server and saves it, in this browser only, for the account signed in', async () => {
    await signInAs('usr_ada');
    await page.getByTestId('listenbrainz-token').fill('lb-token-1');
    await page.getByTestId('listenbrainz-url').fill(listenBrainz.url);
    await page.getByTestId('listenbrainz-check').click();
    await expect.poll(() => page.getByTestId('listenbrainz-message').textContent()).toBe('This token belongs to ada.');
    expect(listenBrainz.requests).toEqual([{ method: 'GET', path: '/1/validate-token', status: 200 }]);

    await page.getByTestId('listenbrainz-enabled').check();
    await page.getByTestId('listenbrainz-save').click();
    await expect.poll(() => page.getByTestId('listenbrainz-message').textContent()).toMatch(/^Saved/);
    const stored = await page.evaluate(`Promise.all([chrome.storage.local.get('listenbrainz:settings'), chrome.storage.sync.get(null)])`);
    expect(stored).toEqual([
      { 'listenbrainz:settings': { enabled: true, serverUrl: listenBrainz.url, token: 'lb-token-1', userId: 'usr_ada' } },
      {},
    ]);

    // Another account signed in to this browser sees none of it.
    await signInAs('usr_bob');
    await page.reload();
    await expect.poll(() => page.getByTestId('listenbrainz-url').inputValue()).toBe('https://api.listenbrainz.org');
    expect(await page.getByTestId('listenbrainz-token').inputValue()).toBe('');
    expect(await page.getByTestId('listenbrainz-enabled').isChecked()).toBe(false);
  });

  it("opens Chromium's shortcuts page, where Alktunes' commands can be made global", async () => {
    const [shortcuts] = await Promise.all([browser.context.waitForEvent('page'), page.getByTestId('open-shortcuts').click()]);
    await expect.poll(() => shortcuts.url()).toBe('chrome://extensions/shortcuts');
    // The page lists each extension's commands with a scope menu ("In Chrome" / "Global").
    await expect.poll(() => shortcuts.getByText('Play or pause').count(), { timeout: 10_000 }).toBe(1);
    await shortcuts.close();
  });
});

describe.runIf(firefoxAvailable())('the options page in Firefox', () => {
  let dir: string;
  let firefox: FirefoxWithExtension;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'alktunes-options-firefox-'));
    const extensionDir = await buildExtension({ ...backend, outDir: path.join(dir, 'build'), browser: 'firefox' });
    firefox = await launchFirefox({ extensionDir, geckoId: 'player@alktunes.app' });
  });

  afterAll(async () => {
    await firefox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the same commands and keys, and offers Firefox's own shortcut settings", async () => {
    const tab = await firefox.openTab('options.html');
    await expect.poll(() => tab.eval(readKeys)).toEqual(DEFAULT_KEYS);
    // Firefox 137 and later open their shortcut settings for an extension themselves.
    expect(await tab.eval(`() => document.querySelector('[data-testid="open-shortcuts"]')?.tagName`)).toBe('BUTTON');
    expect(await tab.count('section[aria-labelledby="media-keys-title"] input[type="checkbox"]')).toBe(0);
    await tab.close();
  });
});
