import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { jsonResponse } from '@@/test/extension/factories';
import { makePlay, makePlays } from '@@/test/extension/plays';
import { writeSession } from '@/api/session-storage';
import { listeningSettingsItem, markHistoryCleared } from './listening-settings';
import type { Listen } from './listenbrainz';
import { scrobbleProblemItem, scrobbleSettingsItem } from './scrobble-settings';
import {
  createScrobbler,
  FLUSH_ALARM,
  MAX_QUEUED_LISTENS,
  MAX_REMEMBERED_IDS,
  scrobbledIdsItem,
  scrobbleQueueItem,
  toListen,
  type ScrobblerDeps,
} from './scrobbler';

type Submission = { listen_type: string; payload: Listen[] };

/** A ListenBrainz server in a function: answers each submission with the next status (200 once they run out). */
function fakeServer(...statuses: number[]) {
  const submissions: Submission[] = [];
  const fetch = vi.fn(async (_url: string, init?: RequestInit) => {
    submissions.push(JSON.parse(String(init?.body)) as Submission);
    const status = statuses.shift() ?? 200;
    return status === 200 ? jsonResponse(200, { status: 'ok' }) : jsonResponse(status, { code: status, error: `failed with ${status}` });
  });
  return { fetch, submissions };
}

const log = { info: vi.fn(), warn: vi.fn() };

function start(fetch: typeof globalThis.fetch, client: ScrobblerDeps['client'] = {}) {
  return createScrobbler({ log, clientVersion: '1.0.0', client: { fetch, retryDelaysMs: [], ...client } });
}

const queuedIds = async () => (await scrobbleQueueItem.getValue()).map((queued) => queued.id);

describe('the scrobbler queue', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    log.info.mockClear();
    log.warn.mockClear();
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: 'https://lb.example', token: 'secret-token', userId: 'listener' });
  });

  it('takes no play while scrobbling is off or history is paused', async () => {
    const server = fakeServer();
    await scrobbleSettingsItem.setValue({ enabled: false, serverUrl: 'https://lb.example', token: 'secret-token', userId: 'listener' });
    const scrobbler = start(server.fetch as never);
    await scrobbler.add(makePlay());
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: 'https://lb.example', token: 'secret-token', userId: 'listener' });
    await listeningSettingsItem.setValue({ historyPaused: true });
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(server.fetch).not.toHaveBeenCalled();
  });

  it('queues a play once however often it is handed over, and never again once sent', async () => {
    const server = fakeServer(503, 503);
    const scrobbler = start(server.fetch as never);
    const play = makePlay();
    await scrobbler.add(play);
    await scrobbler.add(play);
    await scrobbler.flush();
    expect(await queuedIds()).toEqual([play.id]);

    await scrobbler.flush();
    expect(await queuedIds()).toEqual([]);
    await scrobbler.add(play);
    await scrobbler.flush();
    expect(server.submissions.map((s) => s.payload.length)).toEqual([1, 1, 1]);
    expect(await scrobbledIdsItem.getValue()).toEqual([play.id]);
  });

  it('removes listens only after a 200', async () => {
    // The flush the new play starts, then the one asked for here.
    const server = fakeServer(500, 500);
    const scrobbler = start(server.fetch as never);
    const play = makePlay();
    await scrobbler.add(play);
    await scrobbler.flush();
    expect(server.submissions).toHaveLength(2);
    expect(await queuedIds()).toEqual([play.id]);
    expect(await scrobbledIdsItem.getValue()).toEqual([]);
  });

  it('sends one listen as `single` and more as `import` batches of at most 100', async () => {
    const server = fakeServer();
    await scrobbleQueueItem.setValue(
      makePlays(201).map((play) => ({ id: play.id, userId: play.userId, listen: toListen(play, '1.0.0')! })),
    );
    // Sent when the background starts, with no new play.
    const scrobbler = start(server.fetch as never);
    await scrobbler.flush();
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(server.submissions.map((s) => [s.listen_type, s.payload.length])).toEqual([
      ['import', 100],
      ['import', 100],
      ['single', 1],
      ['single', 1],
    ]);
  });

  it('drops a batch the server refuses (4xx other than 401), logs it, and goes on', async () => {
    const server = fakeServer(400);
    const plays = makePlays(2);
    const scrobbler = start(server.fetch as never);
    for (const play of plays) await scrobbler.add(play);
    await scrobbler.flush();
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/refused a listen.*400: failed with 400/));
    // Neither is queued again.
    for (const play of plays) await scrobbler.add(play);
    await scrobbler.flush();
    expect(server.submissions).toHaveLength(2);
  });

  it('finds the one listen a 400 is about by halving the batch, and sends the others', async () => {
    const plays = makePlays(100);
    const bad = plays[37]!;
    const badAt = Math.floor(Date.parse(bad.startedAt) / 1000);
    const accepted: Listen[] = [];
    const fetch = vi.fn(async (_url: string, init?: RequestInit) => {
      const { payload } = JSON.parse(String(init?.body)) as Submission;
      // A rule of the server's that the client cannot know.
      if (payload.some((listen) => listen.listened_at === badAt)) return jsonResponse(400, { code: 400, error: 'no' });
      accepted.push(...payload);
      return jsonResponse(200, { status: 'ok' });
    });
    await scrobbleQueueItem.setValue(plays.map((play) => ({ id: play.id, userId: play.userId, listen: toListen(play, '1.0.0')! })));
    await start(fetch as never).flush();

    expect(accepted.map((listen) => listen.listened_at).sort()).toEqual(
      plays.filter((play) => play !== bad).map((play) => Math.floor(Date.parse(play.startedAt) / 1000)),
    );
    // 100 → 50 → 25 → 13 → 7 → 4 → 2 → 1 refused, their first halves taken on the way, then the rest.
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(16);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(await scrobbledIdsItem.getValue()).toHaveLength(100);
    expect(log.warn).toHaveBeenCalledOnce();
  });

  it('leaves out listens ListenBrainz would refuse for their time, and never sends them', async () => {
    const server = fakeServer();
    const scrobbler = start(server.fetch as never);
    await scrobbler.add({ ...makePlay(), startedAt: '1999-12-31T23:00:00.000Z' });
    expect(await scrobbleQueueItem.getValue()).toEqual([]);

    const good = makePlay();
    const ahead = makePlay({ minutesAgo: -120 }); // queued while the clock ran two hours fast
    await scrobbleQueueItem.setValue([ahead, good].map((play) => ({ id: play.id, userId: play.userId, listen: toListen(play, '1.0.0')! })));
    await scrobbler.flush();
    expect(server.submissions.map((s) => s.payload.map((listen) => listen.listened_at))).toEqual([
      [Math.floor(Date.parse(good.startedAt) / 1000)],
    ]);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('scrobbles only the plays of the Alktunes account that saved the settings', async () => {
    const server = fakeServer();
    const scrobbler = start(server.fetch as never);
    const others = makePlay({ userId: 'someone-else' });
    await scrobbler.add(others);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);

    // Queued while that account's settings were saved; another account saved its own since.
    await scrobbleQueueItem.setValue([{ id: others.id, userId: others.userId, listen: toListen(others, '1.0.0')! }]);
    const mine = makePlay();
    await scrobbler.add(mine);
    await scrobbler.flush();
    expect(server.submissions.flatMap((s) => s.payload)).toEqual([toListen(mine, '1.0.0')]);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('drops the listens its account heard before it cleared its history', async () => {
    await writeSession({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 600_000,
      user: { id: 'listener', email: 'l@x.test', name: 'l' },
    });
    const server = fakeServer(503, 503);
    const scrobbler = start(server.fetch as never);
    const before = makePlay({ minutesAgo: 10 });
    await scrobbler.add(before);
    await scrobbler.flush();
    await markHistoryCleared();
    const after = makePlay({ minutesAgo: -0.1 });
    await scrobbler.add(after);
    await scrobbler.add(makePlay({ minutesAgo: 5 }));
    await scrobbler.flush();
    expect(server.submissions.at(-1)!.payload).toEqual([toListen(after, '1.0.0')]);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('stops at a stored token no request can carry, saying so, instead of waiting for a server it never reaches', async () => {
    const server = fakeServer();
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: 'https://lb.example', token: 'abc\ndef', userId: 'listener' });
    const scrobbler = start(server.fetch as never);
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(server.fetch).not.toHaveBeenCalled();
    expect(await scrobbleProblemItem.getValue()).toMatchObject({ code: 'token_rejected', message: expect.stringMatching(/token/) });
    expect(await scrobbleQueueItem.getValue()).toHaveLength(1);
  });

  it('remembers a bounded number of sent ids, forgetting the oldest', async () => {
    const old = Array.from({ length: MAX_REMEMBERED_IDS }, (_, i) => `old-${i}`);
    await scrobbledIdsItem.setValue(old);
    const scrobbler = start(fakeServer().fetch as never);
    const play = makePlay();
    await scrobbler.add(play);
    await scrobbler.flush();
    expect(await scrobbledIdsItem.getValue()).toEqual([...old.slice(1), play.id]);
  });

  it('stops growing at its cap, dropping the oldest listens', async () => {
    const queued = makePlays(MAX_QUEUED_LISTENS).map((play) => ({ id: play.id, userId: play.userId, listen: toListen(play, '1.0.0')! }));
    await scrobbleQueueItem.setValue(queued);
    await scrobbleProblemItem.setValue({ code: 'token_rejected', message: 'refused', at: new Date().toISOString() });
    const scrobbler = start(fakeServer().fetch as never);
    const play = makePlay();
    await scrobbler.add(play);
    const ids = await queuedIds();
    expect(ids).toHaveLength(MAX_QUEUED_LISTENS);
    expect(ids[0]).toBe(queued[1]!.id);
    expect(ids.at(-1)).toBe(play.id);
  });

  it('runs one flush at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const fetch = vi.fn(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return jsonResponse(200, { status: 'ok' });
    });
    const scrobbler = start(fetch as never);
    await Promise.all(makePlays(5).map((play) => scrobbler.add(play)));
    await Promise.all([scrobbler.flush(), scrobbler.flush(), scrobbler.flush()]);
    expect(most).toBe(1);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(await scrobbledIdsItem.getValue()).toHaveLength(5);
  });

  it('keeps an alarm while listens wait, flushes when it fires, and clears it once the queue is empty', async () => {
    const server = fakeServer(503, 503);
    const scrobbler = start(server.fetch as never);
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    const alarm = await fakeBrowser.alarms.get(FLUSH_ALARM);
    expect(alarm?.scheduledTime).toBeGreaterThanOrEqual(Date.now() + 60_000);

    await fakeBrowser.alarms.onAlarm.trigger({ name: FLUSH_ALARM, scheduledTime: Date.now(), persistAcrossSessions: false });
    await scrobbler.flush();
    expect(server.submissions).toHaveLength(3);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(await fakeBrowser.alarms.get(FLUSH_ALARM)).toBeUndefined();
  });

  it('comes back when a 429 says, rather than waiting that long in the background', async () => {
    const fetch = vi.fn(async () => {
      const response = jsonResponse(429, { code: 429, error: 'slow down' });
      response.headers.set('X-RateLimit-Reset-In', '600');
      return response;
    });
    const scrobbler = start(fetch as never, { maxRateLimitWaitMs: 20_000 });
    const before = Date.now();
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    // Once per flush (the new play's and this one's), never again within one.
    expect(fetch).toHaveBeenCalledTimes(2);
    const alarm = await fakeBrowser.alarms.get(FLUSH_ALARM);
    expect(alarm?.scheduledTime).toBeGreaterThanOrEqual(before + 600_000);
    expect(alarm?.scheduledTime).toBeLessThan(before + 610_000);
  });

  it('stops at a 401 until the problem is cleared, and never logs the token', async () => {
    const server = fakeServer(401);
    const scrobbler = start(server.fetch as never);
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(await scrobbleProblemItem.getValue()).toMatchObject({ code: 'token_rejected' });
    expect(await fakeBrowser.alarms.get(FLUSH_ALARM)).toBeUndefined();
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(server.submissions).toHaveLength(1);

    await scrobbleProblemItem.setValue(null);
    await scrobbler.flush();
    expect(server.submissions.map((s) => s.payload.length)).toEqual([1, 2]);
    expect(JSON.stringify([log.info.mock.calls, log.warn.mock.calls])).not.toContain('secret-token');
  });

  it('sends nothing while history is paused and what waited once it is resumed', async () => {
    const server = fakeServer();
    await scrobbleQueueItem.setValue([{ id: 'p1', userId: 'listener', listen: toListen(makePlay(), '1.0.0')! }]);
    await listeningSettingsItem.setValue({ historyPaused: true });
    const scrobbler = start(server.fetch as never);
    await scrobbler.flush();
    expect(server.fetch).not.toHaveBeenCalled();

    await listeningSettingsItem.setValue({ historyPaused: false });
    await scrobbler.flush();
    expect(server.submissions).toHaveLength(1);
  });
});

describe('a play as a listen', () => {
  it('is left out when ListenBrainz would refuse it: no title or artist', () => {
    expect(toListen(makePlay({ track: { artist: '  ' } }), '1')).toBeUndefined();
    expect(toListen(makePlay({ track: { title: '' } }), '1')).toBeUndefined();
  });

  it('loses NUL characters and blank fields, and carries the track length in ms', () => {
    const play = makePlay({ track: { title: 'Tw\u0000o', artist: 'Art', album: ' ', durationMs: 200_500, trackNumber: 3 } });
    expect(toListen(play, '2.0.0')).toEqual({
      listened_at: Math.floor(Date.parse(play.startedAt) / 1000),
      track_metadata: {
        artist_name: 'Art',
        track_name: 'Two',
        additional_info: {
          duration_ms: 200_500,
          tracknumber: 3,
          submission_client: 'Alktunes',
          submission_client_version: '2.0.0',
          media_player: 'Alktunes',
        },
      },
    });
  });
});
