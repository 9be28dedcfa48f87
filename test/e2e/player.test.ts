import { existsSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../backend/adapters/s3/client';
import type { PlayerState } from '../../extension/player/player-state';
import { requirement } from '../support/requirements';
import { chromiumPath } from '../support/chromium';
import { PlayerHarness } from './player-harness';

const poll = { timeout: 15_000, interval: 100 };

describe.runIf(requirement('Chromium', existsSync(chromiumPath) && chromiumPath, 'install Debian chromium: apt-get install -y chromium'))(
  'the player in Chromium against the local stack',
  () => {
    const h = new PlayerHarness();
    let queue: PlayerState['queue'] = [];

    beforeAll(() => h.start());
    afterAll(() => h.stop());

    const mediaTime = async () => (await h.offscreen()).media?.currentTime ?? -1;
    const playingTrack = async () => (await h.offscreen()).media?.trackId;

    const offscreenDocuments = async () => (await h.offscreen()).documents;
    const cachedUrl = (id: string) =>
      h.eval<boolean>(`async (id) => !!(await chrome.storage.session.get('stream-urls'))['stream-urls']?.[id]`, id);
    /** The track's cached stream URL, as an element's `src` spells it. */
    const urlOf = (id: string) =>
      h.eval<string>(`async (id) => new URL((await chrome.storage.session.get('stream-urls'))['stream-urls'][id].url).href`, id);
    /** For each track, whether an `<audio>` of the offscreen document holds it under its cached URL with data to play. */
    const rowsBuffered = (ids: string[]) => async () => {
      const audio = (await h.offscreen()).audio ?? [];
      const urls = await Promise.all(ids.map((id) => urlOf(id).catch(() => '')));
      return urls.map((url) => audio.some((element) => element.src === url && element.readyState >= 2));
    };

    it('gets the first play ready while the popup is open, and closes the document again when it closes unplayed', async () => {
      await (await h.signIn()).close();
      // As after a while away: Chrome closed the silent document and the stream URLs have expired.
      await expect.poll(offscreenDocuments, poll).toBe(0);
      await h.eval(`async () => chrome.storage.session.remove('stream-urls')`);

      let popup = await h.openPopup();
      const rows = popup.getByTestId('home-track');
      const firstRows = [(await rows.nth(0).getAttribute('data-track-id'))!, (await rows.nth(1).getAttribute('data-track-id'))!];
      await expect.poll(offscreenDocuments, { timeout: 1_200, interval: 20 }).toBe(1);
      const hostOpened = Date.now();
      expect(await Promise.all(firstRows.map(cachedUrl))).toEqual([true, true]);
      await expect.poll(rowsBuffered(firstRows), poll).toEqual([true, true]);

      // Chrome closes a document that made no sound for 30 s: with the popup still open, the
      // queue owner opens it again at once and buffers the same rows (a document that closes
      // sooner than 5 s after it opened, HOST_MIN_LIFE_MS, is not reopened: no crash loop).
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, hostOpened + 5_500 - Date.now())));
      await h.eval(`async () => chrome.offscreen.closeDocument()`);
      // Within 3 s, so not the popup's own next request (PREWARM_INTERVAL_MS, 20 s, after it opened).
      await expect.poll(offscreenDocuments, { timeout: 3_000, interval: 100 }).toBe(1);
      await expect.poll(rowsBuffered(firstRows), { timeout: 3_000, interval: 100 }).toEqual([true, true]);

      await popup.close();
      await expect.poll(offscreenDocuments, poll).toBe(0);

      popup = await h.openPopup();
      // Before the click, the offscreen document's elements hold the home rows under their URLs.
      await expect.poll(rowsBuffered(firstRows), poll).toEqual([true, true]);
      const before = (await h.offscreen()).audio!.map((audio) => audio.src);
      await popup.getByTestId('home-track').nth(0).getByTestId('track-play').click();
      await expect.poll(() => popup.getByTestId('player-toggle').getAttribute('data-state'), poll).toBe('playing');
      const state = await h.state();
      expect(state).toMatchObject({ status: 'playing', index: 0 });
      expect(state.queue[0]!.id).toBe(firstRows[0]);
      // The click started the element that had buffered the row (not a cold load into another
      // one), and no element was given a new URL.
      const after = (await h.offscreen()).audio!;
      const played = after.findIndex((audio) => !audio.paused);
      expect(played).toBeGreaterThanOrEqual(0);
      expect(before[played]).toBe(await urlOf(firstRows[0]!));
      expect(after.filter((audio, i) => audio.src && audio.src !== before[i])).toEqual([]);
      await popup.close();
    });

    it('starts from a popup click and keeps playing after the popup closes', async () => {
      const popup = await h.openPopup();
      await popup.getByTestId('home-track').nth(0).getByTestId('track-play').click();
      const toggle = popup.getByTestId('player-toggle');
      await expect.poll(() => toggle.getAttribute('data-state'), poll).toBe('playing');
      queue = (await h.state()).queue;
      expect(queue.length).toBeGreaterThan(5);

      // "Next" is one command to the queue owner, which has the audio host start the preloaded
      // track: the queue moves on by exactly one, and the button never shows `playing` early.
      await expect
        .poll(
          async () =>
            h.eval<boolean>(`async (id) => !!(await chrome.storage.session.get('stream-urls'))['stream-urls']?.[id]`, queue[1]!.id),
          poll,
        )
        .toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Every message the popup sends from now on, and every state its play button shows.
      await popup.evaluate(`(() => {
        const seen = (window.seen = { sent: [], states: [] });
        const send = chrome.runtime.sendMessage.bind(chrome.runtime);
        chrome.runtime.sendMessage = (...args) => (seen.sent.push(args[0]?.type), send(...args));
        const toggle = document.querySelector('[data-testid=player-toggle]');
        new MutationObserver(() => seen.states.push(toggle.getAttribute('data-state'))).observe(toggle, {
          attributes: true,
          attributeFilter: ['data-state'],
        });
      })()`);
      await popup.getByTestId('player-next').click();
      await expect.poll(playingTrack, poll).toBe(queue[1]!.id);
      await expect.poll(() => toggle.getAttribute('data-state'), poll).toBe('playing');
      const seen = (await popup.evaluate('window.seen')) as { sent: string[]; states: string[] };
      expect(seen.sent).toEqual(['player/next']);
      expect(seen.states).toEqual(['loading', 'playing']);
      await expect.poll(async () => (await h.state()).index, poll).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await h.state()).toMatchObject({ index: 1, status: 'playing' });
      expect(await playingTrack()).toBe(queue[1]!.id);
      await popup.close();

      const at = await mediaTime();
      await expect.poll(mediaTime, poll).toBeGreaterThan(at + 0.5);
      expect((await h.offscreen()).documents).toBe(1);
    });

    it('advances to the preloaded next track with the popup closed and the service worker stopped', async () => {
      await h.send('player/jump', { index: 1 });
      await expect.poll(playingTrack, poll).toBe(queue[1]!.id);
      const { durationSec } = await h.state();
      await h.send('player/seek', { positionSec: durationSec - 2.5 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await h.stopServiceWorkers();

      await expect.poll(playingTrack, poll).toBe(queue[2]!.id);
      expect((await h.offscreen()).media?.paused).toBe(false);
      // The offscreen document's report woke the worker, which moved the queue on.
      await expect.poll(async () => (await h.state()).index, poll).toBe(2);
      expect((await h.state()).status).toBe('playing');
    });

    it('"next" starts the preloaded track at once', async () => {
      const started = Date.now();
      await h.send('player/next');
      await expect.poll(async () => ((await playingTrack()) === queue[3]!.id ? mediaTime() : -1), poll).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('resumes at the same position after Chrome closed the offscreen document during a long pause', async () => {
      await h.send('player/seek', { positionSec: 10 });
      const paused = await h.send('player/pause');
      expect(paused.status).toBe('paused');
      await h.eval(`async () => chrome.offscreen.closeDocument()`);
      expect((await h.offscreen()).documents).toBe(0);

      expect((await h.send('player/play')).status).toBe('playing');
      const media = (await h.offscreen()).media!;
      expect(media.trackId).toBe(queue[3]!.id);
      expect(media.currentTime).toBeGreaterThanOrEqual(9.9);
      expect(media.currentTime).toBeLessThan(12);
    });

    it('fetches a fresh URL when the stream URL is refused (403) and resumes where it was', async () => {
      await h.send('player/seek', { positionSec: 14 });
      await h.send('player/pause');
      const trackId = queue[3]!.id;
      // Revoke the cached URL: signed by an access key the media server no longer knows, it answers 403.
      const revoked = await h.eval<string>(
        `async (id) => {
        const { 'stream-urls': urls } = await chrome.storage.session.get('stream-urls');
        const entry = urls[id];
        entry.url = entry.url.replace(/X-Amz-Credential=[^%&]+/, 'X-Amz-Credential=REVOKEDKEY');
        await chrome.storage.session.set({ 'stream-urls': urls });
        await chrome.offscreen.closeDocument();
        return entry.url;
      }`,
        trackId,
      );
      expect((await fetch(revoked)).status).toBe(403);

      expect((await h.send('player/play')).status).toBe('playing');
      const media = (await h.offscreen()).media!;
      expect(media).toMatchObject({ trackId, paused: false });
      expect(media.currentTime).toBeGreaterThanOrEqual(13.9);
      expect(media.currentTime).toBeLessThan(16);
      const fresh = await h.eval<string>(`async (id) => (await chrome.storage.session.get('stream-urls'))['stream-urls'][id].url`, trackId);
      expect(fresh).not.toBe(revoked);
    });

    it('skips a track whose file cannot be played and says so', async () => {
      const broken = queue[5]!;
      // Replace the track's audio with bytes no decoder accepts.
      const { url } = await h.eval<{ url: string }>(
        `async (id) => {
        const { session } = await chrome.storage.local.get('session');
        const api = ${JSON.stringify(h.stack.api)};
        const response = await fetch(api + '/tracks/' + id + '/stream', { headers: { authorization: 'Bearer ' + session.accessToken } });
        return response.json();
      }`,
        broken.id,
      );
      const [, bucket, ...key] = new URL(url).pathname.split('/');
      const s3 = createS3Client({ region: h.stack.region, endpoint: h.stack.s3 });
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: decodeURIComponent(key.join('/')),
          Body: 'this is not audio',
          ContentType: 'audio/wav',
        }),
      );

      const state = await h.send('player/jump', { index: 5 });
      expect(state).toMatchObject({ index: 6, status: 'playing', notice: { code: 'track_skipped' } });
      expect(state.notice?.message).toContain(broken.title);
      await expect.poll(playingTrack, poll).toBe(queue[6]!.id);

      const popup = await h.openPopup();
      await expect
        .poll(() => popup.getByText(broken.title, { exact: false }).filter({ hasText: 'Skipped' }).count(), poll)
        .toBeGreaterThan(0);
      await popup.close();
    });

    it('brings back the queue and position, paused, after a browser restart', async () => {
      await h.send('player/jump', { index: 2 });
      await h.send('player/seek', { positionSec: 15 });
      await h.close();
      await h.launch();

      await expect.poll(async () => (await h.state()).status, poll).toBe('paused');
      const state = await h.state();
      expect(state).toMatchObject({ index: 2, positionSec: 15 });
      expect(state.queue.map((t) => t.id)).toEqual(queue.map((t) => t.id));
      const popup = await h.openPopup();
      await expect.poll(() => popup.getByTestId('player-toggle').getAttribute('data-state'), poll).toBe('paused');
      await popup.getByTestId('player-toggle').click();
      await expect.poll(async () => (await h.offscreen()).media?.currentTime ?? 0, poll).toBeGreaterThanOrEqual(15);
      await popup.close();
    });

    it('stops cleanly and shows sign-in when the session ends', async () => {
      const popup = await h.openPopup();
      await h.eval(`async () => chrome.storage.local.remove('session')`);
      await popup.getByTestId('auth-email').waitFor({ timeout: 10_000 });
      await expect.poll(async () => (await h.state()).status, poll).toBe('idle');
      expect((await h.offscreen()).media?.loaded ?? false).toBe(false);
      expect((await h.state()).notice?.code).toBe('signed_out');
      await popup.close();
    });
  },
);
