import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_SECTION_IDS, type LikedTrack, type Page as ApiPage } from '../../shared/api';
import { chromiumAvailable, startExtensionStack, type ExtensionStack } from '../support/chromium';

const trackIds = (rows: Locator) => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-track-id')));

describe.runIf(chromiumAvailable())('the listener’s library in the popup (Chromium, local stack)', () => {
  let env: ExtensionStack;
  let page: Page;

  beforeAll(async () => {
    env = await startExtensionStack('library-e2e');
    page = await env.openPopup();
    await page.getByTestId('auth-toggle').click();
    await page.getByTestId('auth-name').fill('Library Tester');
    await page.getByTestId('auth-email').fill(`library-${Date.now()}@example.com`);
    await page.getByTestId('auth-password').fill('correct-horse-battery-42');
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('home-track').nth(2).waitFor({ timeout: 30_000 });
  });

  afterAll(() => env?.stop());

  /** GETs the API as the signed-in listener, with the token the popup stored. */
  async function apiGet<T>(path: string): Promise<T> {
    const token = (await page.evaluate(`(async () => (await chrome.storage.local.get('session')).session.accessToken)()`)) as string;
    const response = await fetch(`${env.stack.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  const likedIds = async () => (await apiGet<ApiPage<LikedTrack>>('/me/likes')).items.map((item) => item.trackId);

  it('shows the home feed in titled sections, each with Play all', async () => {
    const sections = page.getByTestId('home-section');
    const ids = await sections.evaluateAll((els) => els.map((el) => el.getAttribute('data-section-id')));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids[0]).toBe('for-you');
    for (const id of ids) expect(HOME_SECTION_IDS).toContain(id);
    expect(await sections.first().getByTestId('home-play-all').count()).toBe(1);
  });

  it('likes a track from its row, shows it liked while playing, lists it in Liked songs, plays it there, and unlikes it', async () => {
    const row = page.getByTestId('home-track').first();
    const trackId = (await row.getAttribute('data-track-id'))!;
    const title = (await row.locator('.title').textContent())!.trim();
    const heart = row.getByTestId('track-like');
    expect(await heart.getAttribute('aria-pressed')).toBe('false');
    expect(await heart.getAttribute('aria-label')).toBe(`Like ${title}`);

    await heart.click();
    expect(await heart.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(likedIds, { timeout: 10_000 }).toEqual([trackId]);

    await row.getByTestId('track-play').click();
    await expect.poll(() => page.getByTestId('player-title').textContent(), { timeout: 30_000 }).toBe(title);
    const playingHeart = page.locator('.now-playing [data-testid="track-like"]');
    expect(await playingHeart.getAttribute('aria-pressed')).toBe('true');
    expect(await playingHeart.getAttribute('aria-label')).toBe(`Like ${title}`);
    await page.getByTestId('player-toggle').click();

    // A reopened popup paints the heart as it was left.
    await page.close();
    page = await env.openPopup();
    const again = page.locator(`[data-testid="home-track"][data-track-id="${trackId}"]`).first();
    await expect.poll(() => again.getByTestId('track-like').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');

    await page.getByTestId('nav-playlists').click();
    await page.getByTestId('liked-songs').click();
    const liked = page.getByTestId('liked-track');
    await expect.poll(() => trackIds(liked), { timeout: 10_000 }).toEqual([trackId]);
    await page.getByTestId('liked-play').click();
    await expect.poll(() => page.getByTestId('player-toggle').getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect((await page.getByTestId('player-title').textContent())?.trim()).toBe(title);
    await page.getByTestId('player-toggle').click();

    await liked.first().getByTestId('track-like').click();
    await expect.poll(() => liked.count()).toBe(0);
    await expect.poll(likedIds, { timeout: 10_000 }).toEqual([]);
    expect(await page.locator('.now-playing [data-testid="track-like"]').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('back').click();
  });

  it('exports a playlist as M3U8 and imports the file back as a playlist with the same tracks', async () => {
    await page.getByTestId('nav-playlists').click();
    await page.getByTestId('playlist-name').fill('Road trip');
    await page.getByTestId('playlist-create').click();
    const item = page.getByTestId('playlist-item').filter({ hasText: 'Road trip' });
    await item.waitFor();
    const playlistId = (await item.getAttribute('data-playlist-id'))!;

    await page.getByTestId('nav-home').click();
    const rows = page.getByTestId('home-track');
    for (const n of [1, 2]) {
      await rows.nth(n).getByTestId('track-add-to-playlist').click();
      await page.locator(`[data-testid="playlist-pick"][data-playlist-id="${playlistId}"]`).click();
      await page.getByTestId('add-to-playlist-dialog').waitFor({ state: 'detached' });
    }
    const expected = (await trackIds(rows)).slice(1, 3);

    await page.getByTestId('nav-playlists').click();
    await expect.poll(() => item.textContent()).toContain('2 tracks');
    await item.locator('.open').click();
    const entries = page.getByTestId('playlist-entry');
    await expect.poll(() => trackIds(entries), { timeout: 20_000 }).toEqual(expected);

    await page.getByTestId('playlist-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('playlist-export-m3u8').click()]);
    expect(download.suggestedFilename()).toBe('Road trip.m3u8');
    const file = await readFile((await download.path())!);
    expect(file.toString('utf8')).toMatch(/^#EXTM3U/);

    await page.getByTestId('back').click();
    await page
      .getByTestId('playlist-import-file')
      .setInputFiles({ name: 'Road trip again.m3u8', mimeType: 'audio/x-mpegurl', buffer: file });
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('Imported 2 tracks; 0 not found.');
    await expect.poll(() => trackIds(entries), { timeout: 20_000 }).toEqual(expected);
    expect((await page.locator('.detail-header h2').textContent())?.trim()).toBe('Road trip again');
  });
});
