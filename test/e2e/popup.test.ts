import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startExtensionStack, type ExtensionStack } from '../support/chromium';
import { countServerRequests, settled } from '../support/request-counter';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Writes `popup-<name>-light.png` and `popup-<name>-dark.png`. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: path.join(artifacts, `popup-${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const isRefresh = (request: IncomingMessage) => request.method === 'POST' && request.url === '/auth/refresh';

/**
 * Delays by `ms` the answers the in-process server at `endpoint` gives to the requests `matches`
 * picks (the request is handled at once; only its answer waits). Returns the function that stops it.
 */
function holdAnswers(endpoint: string, matches: (request: IncomingMessage) => boolean, ms: number): () => void {
  const port = Number(new URL(endpoint).port);
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort !== port || !matches(request)) return;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((...args: unknown[]) => {
      setTimeout(() => end(...args), ms);
      return response;
    }) as ServerResponse['end'];
  };
  subscribe('http.server.request.start', onStart);
  return () => unsubscribe('http.server.request.start', onStart);
}

const trackIds = (rows: Locator) => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-track-id')));

describe.runIf(chromiumAvailable())('the popup in Chromium against the local stack', () => {
  let env: ExtensionStack;

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    env = await startExtensionStack('popup-e2e');
  });

  afterAll(() => env?.stop());

  const openPopup = () => env.openPopup();

  /** Adds the row's track to the named playlist through the "add to playlist" dialog. */
  async function addToPlaylist(page: Page, row: Locator, playlistId: string): Promise<void> {
    await row.getByTestId('track-add-to-playlist').click();
    await page.locator(`[data-testid="playlist-pick"][data-playlist-id="${playlistId}"]`).click();
    await page.getByTestId('add-to-playlist-dialog').waitFor({ state: 'detached' });
  }

  it('registers, searches, plays, builds and reorders a playlist, keeps it all on reopen, signs out', async () => {
    const page = await openPopup();
    await page.getByTestId('auth-email').waitFor();
    await shoot(page, 'sign-in');

    // Register
    await page.getByTestId('auth-toggle').click();
    await page.getByTestId('auth-name').fill('Popup Tester with a rather long name that must not break the header');
    await page.getByTestId('auth-email').fill(`popup-${Date.now()}@example.com`);
    await page.getByTestId('auth-password').fill('correct-horse-battery-42');
    await shoot(page, 'sign-up');
    await page.getByTestId('auth-submit').click();

    // Home: the shuffled feed
    const homeRows = page.getByTestId('home-track');
    await expect.poll(() => homeRows.count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await shoot(page, 'home');
    const firstTitle = (await homeRows.first().locator('.title').textContent())!.trim();

    // Search (from the keyboard)
    await page.keyboard.press('/');
    const input = page.getByTestId('search-input');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);

    // A typing slip: one click on "did you mean" searches the catalog's spelling
    await input.fill('Smlal Hours');
    const didYouMean = page.getByTestId('did-you-mean');
    await didYouMean.waitFor({ timeout: 30_000 });
    expect((await didYouMean.textContent())?.trim()).toBe('Small Hours');
    await shoot(page, 'search-did-you-mean');
    await didYouMean.click();
    expect(await input.inputValue()).toBe('Small Hours');
    // The live region is blank while the new search runs and had a "did you mean" before it
    const announcement = page.getByTestId('search-announcement');
    await expect.poll(() => announcement.textContent(), { timeout: 30_000 }).toMatch(/found\.\s*$/);
    expect(await didYouMean.count()).toBe(0);
    expect((await page.getByTestId('top-result').locator('.title').first().textContent())?.trim()).toBe('Small Hours');
    await input.fill('');
    await expect.poll(() => page.getByTestId('search-track').count()).toBe(0);

    await input.fill(firstTitle.split(/\s+/)[0]!);
    const searchRows = page.getByTestId('search-track');
    await searchRows.first().waitFor({ timeout: 30_000 });
    await shoot(page, 'search');
    const source = searchRows;
    const picked = source.first();
    const pickedTitle = (await picked.locator('.title').textContent())!.trim();
    const pickedId = await picked.getAttribute('data-track-id');

    // Play
    await picked.getByTestId('track-play').click();
    const toggle = page.getByTestId('player-toggle');
    await expect.poll(() => toggle.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect((await page.getByTestId('player-title').textContent())?.trim()).toBe(pickedTitle);
    expect((await page.getByTestId('player-artist').textContent())?.trim()).not.toBe('');
    expect((await page.getByTestId('player-time').textContent())?.trim()).toMatch(/^\d+:\d\d \/ \d+:\d\d$/);
    await shoot(page, 'playing');

    // Create a playlist
    await page.getByTestId('nav-playlists').click();
    await page.getByTestId('playlist-name').fill('Road trip');
    await page.getByTestId('playlist-create').click();
    const item = page.getByTestId('playlist-item').filter({ hasText: 'Road trip' });
    await item.waitFor();
    const playlistId = (await item.getAttribute('data-playlist-id'))!;

    // Add: the picked track, then two more from Home
    await page.getByTestId('nav-search').click();
    await addToPlaylist(page, searchRows.first(), playlistId);
    await page.getByTestId('nav-home').click();
    await addToPlaylist(page, homeRows.nth(1), playlistId);
    await addToPlaylist(page, homeRows.nth(2), playlistId);
    const expected = [pickedId].concat((await trackIds(homeRows)).slice(1, 3));

    // Open it and reorder by drag and drop, then by keyboard
    await page.getByTestId('nav-playlists').click();
    await expect.poll(() => item.textContent()).toContain('3 tracks');
    await item.locator('.open').click();
    const entries = page.getByTestId('playlist-entry');
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(3);
    expect(await trackIds(entries)).toEqual(expected);

    await entries.nth(0).dragTo(entries.nth(2));
    const afterDrag = [expected[1], expected[2], expected[0]];
    await expect.poll(() => trackIds(entries)).toEqual(afterDrag);

    await page.locator('[role="listitem"][data-index="0"]').focus();
    await page.keyboard.press('Alt+ArrowDown');
    const afterKeys = [afterDrag[1], afterDrag[0], afterDrag[2]];
    await expect.poll(() => trackIds(entries)).toEqual(afterKeys);
    await shoot(page, 'playlist');

    // Let the moves reach the server before the popup closes
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.close();

    // Reopen: same view, same order, same player
    const again = await openPopup();
    const againEntries = again.getByTestId('playlist-entry');
    await expect.poll(() => againEntries.count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => trackIds(againEntries)).toEqual(afterKeys);
    expect((await again.getByTestId('player-title').textContent())?.trim()).toBe(pickedTitle);
    expect(await again.getByTestId('player-toggle').getAttribute('data-state')).toMatch(/playing|paused|loading/);

    // Queue and help views
    await again.getByTestId('nav-queue').click();
    await shoot(again, 'queue');
    await again.keyboard.press('?');
    await again.getByTestId('help-view').waitFor();
    await shoot(again, 'help');
    await again.keyboard.press('Escape');

    // Pause with Space (with no button focused: Space on a button presses that button), then sign out
    await again.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await again.keyboard.press('Space');
    await expect.poll(() => again.getByTestId('player-toggle').getAttribute('data-state')).toBe('paused');
    await again.getByTestId('sign-out').click();
    await again.getByTestId('auth-email').waitFor();
    await again.close();

    const signedOut = await openPopup();
    await signedOut.getByTestId('auth-email').waitFor();
    expect(await signedOut.getByTestId('home-track').count()).toBe(0);
    await signedOut.close();
  });

  it('keeps the listener signed in when two popups refresh an expired session at once', async () => {
    const first = await openPopup();
    await first.getByTestId('auth-email').fill(env.stack.demo.email);
    await first.getByTestId('auth-password').fill(env.stack.demo.password);
    await first.getByTestId('auth-submit').click();
    await first.getByTestId('home-track').first().waitFor({ timeout: 30_000 });
    // As after a night asleep: the stored access token has expired. (Extension pages have the `chrome` global.)
    await first.evaluate(`(async () => {
        const { session } = await chrome.storage.local.get('session');
        await chrome.storage.local.set({ session: { ...session, expiresAt: 0 } });
      })()`);
    await first.close();

    // Two popups wake on the same expired session and both need a token now, and so does the
    // background: each popup's player view asks it to get a first play ready (its stream URL).
    // Every context takes the same extension-wide lock and reads the session again inside it, so
    // one refresh serves them all. Counted where the token is spent, the auth server, whichever
    // context sends it; its answers are held back a moment so that a context refreshing outside
    // the lock would send the same token meanwhile. (The server's grace window answers such a
    // repeat alike, so only the count shows it; a later repeat would end the session.)
    const refreshes = countServerRequests(env.stack.auth, (request) => (isRefresh(request) ? 'refresh' : undefined));
    const stopHolding = holdAnswers(env.stack.auth, isRefresh, 500);
    let feedsLoaded = 0;
    const pages = await Promise.all([env.context.newPage(), env.context.newPage()]);
    try {
      for (const page of pages) {
        page.on('response', (response) => {
          if (response.ok() && new URL(response.url()).pathname.endsWith('/home')) feedsLoaded += 1;
        });
      }
      await Promise.all(pages.map((page) => page.goto(env.popupUrl)));

      // The cached home is on screen at once; each popup then refreshes its feed, which needs a token.
      await expect.poll(() => feedsLoaded, { timeout: 30_000 }).toBe(2);
      for (const page of pages) {
        // Home, or the sign-in form when the server ended the session.
        await page.getByTestId('home-track').first().or(page.getByTestId('auth-email')).waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('auth-email').count(), 'signed out').toBe(0);
      }
      // The background's first-play preparation may still be on its way: let it finish first.
      await settled(refreshes, 1000);
      expect(refreshes.total(), 'one refresh token is spent once, by one context').toBe(1);
    } finally {
      refreshes.stop();
      stopHolding();
    }
    const storedExpiry = await pages[0]!.evaluate(`(async () => (await chrome.storage.local.get('session')).session?.expiresAt)()`);
    expect(storedExpiry).toBeGreaterThan(Date.now());
    await Promise.all(pages.map((page) => page.close()));
  });
});
