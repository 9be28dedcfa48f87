import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startExtensionStack, type ExtensionStack } from '../support/chromium';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** What the offscreen document's `<audio>` reports (`offscreen/status`), plus how many offscreen documents exist. */
interface OffscreenProbe {
  documents: number;
  reply?: { ok: boolean; value?: { loaded: boolean; paused: boolean; currentTime: number } };
}

// Runs inside the service worker, which may use the `chrome` global directly.
const probeOffscreen = `(async () => {
  const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (contexts.length === 0) return { documents: 0 };
  const reply = await chrome.runtime.sendMessage({ type: 'offscreen/status', data: {} });
  return { documents: contexts.length, reply };
})()`;

describe.runIf(chromiumAvailable())('the extension in Chromium against the local stack', () => {
  let env: ExtensionStack;
  let worker: Worker;

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    env = await startExtensionStack('e2e');
    worker = env.context.serviceWorkers()[0] ?? (await env.context.waitForEvent('serviceworker'));
  });

  afterAll(() => env?.stop());

  const openPopup = () => env.openPopup();

  it('says in words why a sign-in failed', async () => {
    const page = await openPopup();
    await page.getByTestId('auth-email').fill(env.stack.demo.email);
    await page.getByTestId('auth-password').fill('not-the-password');
    await page.getByTestId('auth-submit').click();

    const error = page.getByTestId('auth-error');
    await error.waitFor();
    expect((await error.textContent())?.trim().length).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(artifacts, 'popup-sign-in-error.png') });
    await page.close();
  });

  it('signs in, lists the catalog and plays a track in the offscreen document', async () => {
    const page = await openPopup();
    await page.screenshot({ path: path.join(artifacts, 'popup-sign-in.png') });
    await page.getByTestId('auth-email').fill(env.stack.demo.email);
    await page.getByTestId('auth-password').fill(env.stack.demo.password);
    await page.getByTestId('auth-submit').click();

    // Home shows the shuffled feed in a virtualised list: only the rows in view are in the DOM.
    const rows = page.getByTestId('home-track');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    for (const id of ['nav-home', 'nav-search', 'nav-playlists', 'nav-queue']) {
      expect(await page.getByTestId(id).count()).toBe(1);
    }
    await page.screenshot({ path: path.join(artifacts, 'popup-library.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(artifacts, 'popup-library-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    const row = rows.nth(2);
    const title = (await row.locator('.title').textContent())?.trim();
    await row.getByTestId('track-play').click();

    const toggle = page.getByTestId('player-toggle');
    await expect.poll(() => toggle.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect((await page.getByTestId('player-title').textContent())?.trim()).toBe(title);
    expect((await page.getByTestId('player-artist').textContent())?.trim()).not.toBe('');

    const first = (await worker.evaluate(probeOffscreen)) as OffscreenProbe;
    expect(first.documents).toBe(1);
    expect(first.reply?.value).toMatchObject({ loaded: true, paused: false });
    await expect
      .poll(async () => ((await worker.evaluate(probeOffscreen)) as OffscreenProbe).reply?.value?.currentTime ?? 0, {
        timeout: 10_000,
      })
      .toBeGreaterThan((first.reply?.value?.currentTime ?? 0) + 0.5);
    await page.screenshot({ path: path.join(artifacts, 'popup-playing.png') });

    // Playback belongs to the offscreen document, so it survives the popup closing.
    await page.close();
    const afterClose = (await worker.evaluate(probeOffscreen)) as OffscreenProbe;
    expect(afterClose.reply?.value?.paused).toBe(false);

    // A reopened popup paints the stored state, then pauses through the background.
    const again = await openPopup();
    const againToggle = again.getByTestId('player-toggle');
    await expect.poll(() => againToggle.getAttribute('data-state')).toBe('playing');
    await againToggle.click();
    await expect.poll(() => againToggle.getAttribute('data-state')).toBe('paused');
    expect(((await worker.evaluate(probeOffscreen)) as OffscreenProbe).reply?.value?.paused).toBe(true);
    await again.close();
  });
});
