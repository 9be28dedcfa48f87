import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import type { PlayerState } from '../../extension/player/player-state';
import { buildExtension } from '../../wxt.build';
import { firefoxAvailable, launchFirefox, startPulseAudio, testId, type FirefoxTab, type FirefoxWithExtension } from '../support/firefox';
import { countServerRequests, type RequestCounter } from '../support/request-counter';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const poll = { timeout: 15_000, interval: 100 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the background page's playing `<audio>` and the OS media controls say. */
interface Sound {
  currentTime: number;
  /** The title the OS media controls show: the track the audio host is playing. */
  title?: string;
}

/**
 * The Firefox build (MV2: the persistent background page is the audio host) in headless Firefox
 * ESR against a local stack: sign in, play, close and reopen the popup, "next", a failed media
 * element recovered with one fresh stream URL, a track that fails every time it starts skipped,
 * and playlist files imported and exported from a page of their own (a file picker or a save
 * dialog closes Firefox's popup). Each test starts its own playback from the popup; only the
 * sign-in carries over.
 */
describe.runIf(firefoxAvailable())('the player in Firefox against the local stack', () => {
  let dataDir = '';
  let stack: LocalStack;
  let firefox: FirefoxWithExtension;
  let streams: RequestCounter;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'alktunes-firefox-e2e-'));
    stack = await startLocalStack({
      dataDir: path.join(dataDir, 'stack'),
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      ...sharedDynamoDb('firefox'),
    });
    const extensionDir = await buildExtension({
      authUrl: stack.auth,
      apiUrl: stack.api,
      mediaUrl: stack.s3,
      outDir: path.join(dataDir, 'extension'),
      browser: 'firefox',
    });
    // Stream URL requests (`GET /tracks/{id}/stream`) by track id.
    streams = countServerRequests(stack.api, (request) => /^\/tracks\/([^/]+)\/stream/.exec(request.url ?? '')?.[1]);
    firefox = await launchFirefox({ extensionDir, geckoId: 'player@alktunes.app' });
  });

  afterAll(async () => {
    streams?.stop();
    await firefox?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const state = () => firefox.background<PlayerState>(`async (bg) => (await bg.browser.storage.local.get('player')).player`);
  const sound = () =>
    firefox.background<Sound | null>(`(bg) => {
      const audio = [...bg.document.querySelectorAll('audio')].find((element) => !element.paused);
      return audio ? { currentTime: audio.currentTime, title: bg.navigator.mediaSession?.metadata?.title } : null;
    }`);
  const position = async () => (await sound())?.currentTime ?? -1;
  const playingTitle = async () => (await sound())?.title;
  /** The most requests any one track's stream URL got. */
  const mostRequestsForOneTrack = () => Math.max(0, ...Object.values(streams.byKind()));
  const requestsFor = (trackId: string) => streams.byKind()[trackId] ?? 0;

  /** Opens the popup, signing in first when this profile is not signed in yet. */
  async function openPopup(): Promise<FirefoxTab> {
    const popup = await firefox.openTab('popup.html');
    await expect
      .poll(async () => (await popup.count(testId('auth-email'))) + (await popup.count(testId('home-track'))), poll)
      .toBeGreaterThan(0);
    if (await popup.count(testId('auth-email'))) {
      await popup.fill(testId('auth-email'), stack.demo.email);
      await popup.fill(testId('auth-password'), stack.demo.password);
      await popup.click(testId('auth-submit'));
    }
    await expect.poll(() => popup.count(testId('home-track')), { ...poll, timeout: 30_000 }).toBeGreaterThan(5);
    return popup;
  }

  /** Plays the first track of the home list from `popup`; resolves to the queue once it sounds. */
  async function playFirstHomeTrack(popup: FirefoxTab): Promise<PlayerState['queue']> {
    await popup.click(testId('home-track', 'track-play'));
    await expect.poll(() => popup.attribute(testId('player-toggle'), 'data-state'), poll).toBe('playing');
    await expect.poll(async () => (await state()).index, poll).toBe(0);
    const { queue } = await state();
    expect(queue.length).toBeGreaterThan(5);
    await expect.poll(playingTitle, poll).toBe(queue[0]!.title);
    const started = await position();
    await expect.poll(position, poll).toBeGreaterThan(started + 0.5);
    return queue;
  }

  it('plays from the popup, keeps playing with the popup closed, shows the position on reopening, and goes to the next track', async () => {
    const popup = await openPopup();
    const queue = await playFirstHomeTrack(popup);

    await popup.close();
    const closedAt = await position();
    await expect.poll(position, poll).toBeGreaterThan(closedAt + 1);
    expect(await state()).toMatchObject({ status: 'playing', index: 0 });

    const reopened = await firefox.openTab('popup.html');
    await expect.poll(() => reopened.attribute(testId('player-toggle'), 'data-state'), poll).toBe('playing');
    const shown = await reopened.text(testId('player-time'));
    await expect.poll(() => reopened.text(testId('player-time')), poll).not.toBe(shown);
    expect(await reopened.text(testId('player-time'))).not.toMatch(/^0:00 /);

    await reopened.click(testId('player-next'));
    await expect.poll(playingTitle, poll).toBe(queue[1]!.title);
    await expect.poll(async () => (await state()).index, poll).toBe(1);
    const next = await position();
    await expect.poll(position, poll).toBeGreaterThan(next + 0.5);
    // Exactly one step: the popup's direct "advance" and the queue owner's "next" are one move.
    await pause(500);
    expect(await state()).toMatchObject({ index: 1, status: 'playing' });
    expect(await playingTitle()).toBe(queue[1]!.title);

    // One stream URL per track: the press, the preload and the popup's prewarm share what
    // they looked up (an earlier build asked for the same URL again and again).
    expect(streams.byKind()[queue[0]!.id]).toBe(1);
    expect(mostRequestsForOneTrack()).toBe(1);
    await reopened.close();
  });

  it('gets a track whose media element failed playing again with one fresh stream URL, at the same position', async () => {
    const popup = await openPopup();
    const track = (await playFirstHomeTrack(popup))[0]!;
    await popup.close();
    const before = requestsFor(track.id);
    const at = await position();
    // What Firefox does to an element it cannot go on with (an expired URL, a lost sound output).
    await firefox.background(`(bg) => {
      const audio = [...bg.document.querySelectorAll('audio')].find((element) => !element.paused);
      audio.dispatchEvent(new bg.Event('error'));
    }`);

    // The queue owner checks the fresh URL from the background page before reloading it: that
    // request needs the media origin in the host permissions, which Firefox grants only to a
    // pattern without a port.
    await expect.poll(() => requestsFor(track.id), poll).toBe(before + 1);
    await expect.poll(async () => (await state()).status, poll).toBe('playing');
    await expect.poll(playingTitle, poll).toBe(track.title);
    const resumed = await position();
    expect(resumed).toBeGreaterThanOrEqual(at);
    await expect.poll(position, poll).toBeGreaterThan(resumed + 0.5);
    const after = await state();
    expect(after).toMatchObject({ index: 0, status: 'playing' });
    expect(after.notice).toBeUndefined();
    expect(requestsFor(track.id)).toBe(before + 1);
  });

  it('skips a track whose media element fails every time it starts, after one reload, and plays the next one', async () => {
    const popup = await openPopup();
    const queue = await playFirstHomeTrack(popup);
    await popup.close();
    const failing = queue[1]!;
    const following = queue[2]!;
    // Its URL is known by now (the preload of the next track looked it up), so every request
    // from here on is one the failures cause.
    await expect.poll(() => requestsFor(failing.id), poll).toBeGreaterThan(0);
    await pause(500);
    const before = requestsFor(failing.id);

    // What Firefox did to every element when it had no sound output: each start of the track is
    // followed a moment later by `error` (an earlier build reloaded it for ever).
    await firefox.background(
      `(bg, title) => {
        bg.failEveryStartOf = (event) => {
          if (bg.navigator.mediaSession?.metadata?.title !== title) return;
          const element = event.target;
          bg.setTimeout(() => element.dispatchEvent(new bg.Event('error')), 100);
        };
        // Media events do not bubble; a capturing listener on the document sees every element's.
        bg.document.addEventListener('playing', bg.failEveryStartOf, true);
      }`,
      failing.title,
    );
    try {
      const reopened = await firefox.openTab('popup.html');
      await expect.poll(() => reopened.attribute(testId('player-toggle'), 'data-state'), poll).toBe('playing');
      await reopened.click(testId('player-next'));
      await reopened.close();

      await expect.poll(async () => (await state()).index, poll).toBe(2);
      await expect.poll(playingTitle, poll).toBe(following.title);
      const started = await position();
      await expect.poll(position, poll).toBeGreaterThan(started + 0.5);
      const after = await state();
      expect(after).toMatchObject({ index: 2, status: 'playing', notice: { code: 'track_skipped' } });
      expect(after.notice?.message).toContain(failing.title);
      // One reload with a fresh URL, then the skip's check of a fresh one; and no more afterwards.
      expect(requestsFor(failing.id) - before).toBeLessThanOrEqual(2);
      await pause(1_000);
      expect(requestsFor(failing.id) - before).toBeLessThanOrEqual(2);
      expect(await state()).toMatchObject({ index: 2, status: 'playing' });
    } finally {
      await firefox.background(`(bg) => bg.document.removeEventListener('playing', bg.failEveryStartOf, true)`);
    }
  });

  it('imports and exports playlist files on a page in a tab, where the file picker and the download stay', async () => {
    const popup = await openPopup();
    // Two tracks of the home list, named as an M3U file names them.
    const lines = await popup.eval<string[]>(`() =>
      [...document.querySelectorAll('[data-testid="home-track"]')].slice(0, 2).map((row) => {
        const artist = row.querySelector('.meta').textContent.split(' · ')[0].trim();
        return artist + ' - ' + row.querySelector('.title').textContent.trim();
      })`);
    await popup.click(testId('nav-playlists'));
    await expect.poll(() => popup.count(testId('playlist-import')), poll).toBe(1);
    await popup.click(testId('playlist-import'));
    const tabs = () => firefox.background<string[]>(`async (bg) => (await bg.browser.tabs.query({})).map((tab) => tab.url)`);
    await expect.poll(tabs, poll).toContain(`${firefox.extensionOrigin}/playlist-files.html`);
    await popup.close();

    const importing = await firefox.openTab('playlist-files.html');
    await expect.poll(() => importing.count(testId('playlist-import-file')), poll).toBe(1);
    const file = ['#EXTM3U', ...lines.flatMap((line) => [`#EXTINF:180,${line}`, `${line}.mp3`]), ''].join('\n');
    await importing.eval(
      `(file) => {
        const input = document.querySelector('[data-testid="playlist-import-file"]');
        const picked = new DataTransfer();
        picked.items.add(new File([file], 'Firefox mix.m3u8'));
        input.files = picked.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }`,
      file,
    );
    await expect
      .poll(() => importing.text(testId('import-result')), { ...poll, timeout: 30_000 })
      .toContain('Imported 2 tracks; 0 not found.');
    // The popup's next open lists it first, from the list the page cached.
    const listed = await firefox.background<{ id: string; name: string }[]>(
      `async (bg) => (await bg.browser.storage.local.get('popup.playlists'))['popup.playlists'].value`,
    );
    expect(listed[0]).toMatchObject({ name: 'Firefox mix' });
    await importing.close();

    const exporting = await firefox.openTab(`playlist-files.html?playlist=${listed[0]!.id}&name=Firefox%20mix`);
    await expect.poll(() => exporting.count(testId('playlist-export-m3u8')), poll).toBe(1);
    await exporting.click(testId('playlist-export-m3u8'));
    const saved = path.join(firefox.downloadDir, 'Firefox mix.m3u8');
    const savedText = () => readFile(saved, 'utf8').catch(() => '');
    await expect.poll(savedText, poll).toMatch(/^#EXTM3U/);
    for (const line of lines) expect(await savedText()).toContain(line);
    expect(await exporting.text(testId('export-saved'))).toBe('Sent Firefox mix.m3u8 to your downloads.');
    await exporting.close();
  });
});

describe('the sound server of the Firefox runs', () => {
  it('fails at once with its own message when PulseAudio exits at start', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'alktunes-pulse-'));
    try {
      // Stands in for a PulseAudio that cannot start (no module, a socket it may not create).
      const failing = path.join(dir, 'pulseaudio');
      await writeFile(failing, '#!/bin/sh\necho "E: [pulseaudio] main.c: Daemon startup failed." >&2\nexit 1\n');
      await chmod(failing, 0o755);
      const started = Date.now();
      await expect(startPulseAudio(path.join(dir, 'run'), failing)).rejects.toThrow(/PulseAudio exited \(1\)[^]*Daemon startup failed/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
