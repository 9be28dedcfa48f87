import { existsSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../backend/adapters/s3/client';
import type { HistoryItem, Page, Track } from '../../shared/api';
import { wavFile } from '../support/audio-fixtures';
import { chromiumPath } from '../support/chromium';
import { requirement } from '../support/requirements';
import { sharedDynamoDbUnderVitest } from '../support/shared-dynamodb';
import { PlayerHarness } from './player-harness';

const poll = { timeout: 15_000, interval: 200 };
/** The fixture tracks' audio: a play counts after half of it, 2 s. */
const AUDIO_SECONDS = 4;

describe.runIf(requirement('Chromium', existsSync(chromiumPath) && chromiumPath, 'install Debian chromium: apt-get install -y chromium'))(
  'listening history from the extension in Chromium against the local stack',
  () => {
    const h = new PlayerHarness({ dynamodb: sharedDynamoDbUnderVitest('listening') });
    let tracks: Track[] = [];

    /** Calls the API as the signed-in listener, from Node (never blocked by the routes below). */
    const api = async <T>(path: string): Promise<T> => {
      const { accessToken } = await h.eval<{ accessToken: string }>(`async () => (await chrome.storage.local.get('session')).session`);
      const response = await fetch(`${h.stack.api}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    const history = async () => (await api<Page<HistoryItem>>('/me/history?limit=100')).items;
    const queued = async () =>
      (
        await h.eval<{ plays: unknown[] } | undefined>(
          `async () => (await chrome.storage.local.get('listening:outbox'))['listening:outbox']`,
        )
      )?.plays.length ?? 0;
    /** Plays `track` alone, waits until it ended, and gives the recorder a moment to hand the play on. */
    const playThrough = async (track: Track) => {
      await h.send('player/play-tracks', { tracks: [track], index: 0 });
      await expect.poll(async () => (await h.state()).status, poll).toBe('idle');
    };
    /**
     * The `online` event, dispatched by hand: Chrome never fires it in a service worker (only
     * Firefox's background page gets it), where the outbox's alarm and a popup opening send
     * instead. Dispatching it here is the quick way to ask for a send now.
     */
    const backOnline = () => h.context.serviceWorkers()[0]!.evaluate(`self.dispatchEvent(new Event('online'))`);

    beforeAll(async () => {
      await h.start();
      await (await h.signIn()).close();
      const albums = await api<Page<{ id: string }>>('/albums?limit=1');
      tracks = (await api<{ tracks: Track[] }>(`/albums/${albums.items[0]!.id}`)).tracks.slice(-2);
      // Short audio under the tracks' keys, so each plays through in seconds.
      const s3 = createS3Client({ region: h.stack.region, endpoint: h.stack.s3 });
      for (const track of tracks) {
        const { url } = await api<{ url: string }>(`/tracks/${track.id}/stream`);
        const [, bucket, ...key] = new URL(url).pathname.split('/');
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: decodeURIComponent(key.join('/')),
            Body: wavFile(AUDIO_SECONDS),
            ContentType: 'audio/wav',
          }),
        );
      }
    }, 180_000);
    afterAll(() => h.stop());

    it('records a track played past half once, in the history', async () => {
      const track = tracks[0]!;
      await playThrough(track);

      await expect.poll(async () => (await history()).filter((item) => item.trackId === track.id).length, poll).toBe(1);
      const [item] = await history();
      expect(item).toMatchObject({ trackId: track.id, track: { id: track.id } });
      expect(item!.msPlayed).toBeGreaterThanOrEqual((AUDIO_SECONDS / 2) * 1000);
      expect(item!.msPlayed).toBeLessThanOrEqual((AUDIO_SECONDS + 1) * 1000);
      expect(await queued()).toBe(0);
    });

    it('keeps a play heard while the API is unreachable, and sends it once when it is back, though an answer got lost', async () => {
      const track = tracks[1]!;
      const before = await history();
      // Its stream URL is looked up while the API answers; the play then needs the API only for itself.
      await h.send('player/warm', { trackId: track.id });
      await expect
        .poll(
          () => h.eval<boolean>(`async (id) => !!(await chrome.storage.session.get('stream-urls'))['stream-urls']?.[id]`, track.id),
          poll,
        )
        .toBe(true);
      const apiRoutes = `${h.stack.api}/**`;
      let mode: 'down' | 'lose' = 'down';
      const lost: string[] = [];
      const unreachable = async (route: Route) => {
        if (mode === 'lose') {
          await route.fetch(); // it reaches the server; the answer never reaches the extension
          lost.push(`${route.request().method()} ${new URL(route.request().url()).pathname}`);
        }
        await route.abort('internetdisconnected');
      };
      await h.context.route(apiRoutes, unreachable);

      await playThrough(track);
      await expect.poll(queued, poll).toBe(1);

      mode = 'lose';
      await backOnline();
      await expect.poll(() => lost, poll).toEqual(['POST /me/plays']);
      await expect.poll(async () => (await history()).length, poll).toBe(before.length + 1);
      expect(await queued()).toBe(1);

      await h.context.unroute(apiRoutes, unreachable);
      // What sends it in Chrome: the listener opening the popup.
      const popup = await h.openPopup();
      await expect.poll(queued, poll).toBe(0);
      await popup.close();
      const after = await history();
      expect(after.filter((item) => item.trackId === track.id)).toHaveLength(1);
      expect(after).toHaveLength(before.length + 1);
    });
  },
);
