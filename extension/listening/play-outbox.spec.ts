import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_PLAYS_PER_REQUEST, type PlayInput, type PlaysAccepted } from '@@/shared/api';
import { makeTrack } from '@@/test/extension/factories';
import { ApiError } from '@/api/api-client';
import { clearSession, readSession, writeSession } from '@/api/session-storage';
import { PREWARM_PORT } from '@/player/messages';
import { listeningSettingsItem, markHistoryCleared } from './listening-settings';
import { createPlayOutbox, keepSendingPlays, MAX_PLAY_AGE_MS, OUTBOX_ALARM, retryDelayMs, type PlayOutboxDeps } from './play-outbox';
import type { RecordedPlay } from './recorded-play';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
let n = 0;

function recordedPlay(userId = 'u1'): RecordedPlay {
  const track = makeTrack();
  return { id: `play-${++n}`, trackId: track.id, startedAt: new Date(NOW - n * 1000).toISOString(), msPlayed: 90_000, userId, track };
}

const signIn = (id: string) =>
  writeSession({ accessToken: 'a', refreshToken: 'r', expiresAt: NOW + 600_000, user: { id, email: `${id}@example.test`, name: id } });

/** A server that keeps each play id once, as `POST /me/plays` does; `fail` makes the next calls throw instead. */
function fakeServer() {
  const stored = new Map<string, PlayInput>();
  const failures: unknown[] = [];
  const requests: string[][] = [];
  const postPlays = vi.fn(async (plays: PlayInput[]): Promise<PlaysAccepted> => {
    requests.push(plays.map((play) => play.id));
    const failure = failures.shift();
    if (failure) throw failure;
    const fresh = plays.filter((play) => !stored.has(play.id));
    for (const play of fresh) stored.set(play.id, play);
    return { recorded: fresh.length, known: plays.length - fresh.length, unknownTrackIds: [], refusedPlayIds: [], paused: false };
  });
  return { stored, requests, postPlays, fail: (...errors: unknown[]) => failures.push(...errors) };
}

function setup(over: Partial<PlayOutboxDeps> = {}) {
  const server = fakeServer();
  const retries: (number | undefined)[] = [];
  const log = { warn: vi.fn() };
  const outbox = createPlayOutbox({
    postPlays: server.postPlays,
    retryAt: async (when) => void retries.push(when),
    now: () => NOW,
    random: () => 0,
    log,
    ...over,
  });
  /** Queues plays (each `add` starts a send) and waits for those sends to finish. */
  const add = async (count: number, userId = 'u1') => {
    const plays = Array.from({ length: count }, () => recordedPlay(userId));
    for (const play of plays) await outbox.add(play);
    await outbox.settled();
    return plays;
  };
  return { outbox, server, retries, log, add };
}

const offline = () => new ApiError(0, 'network_error', 'offline');

describe('play outbox', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    n = 0;
  });

  it('sends what waited in batches of the most one request takes, oldest first, and forgets them once taken', async () => {
    await signIn('u1');
    const { outbox, server, retries, add } = setup();
    await outbox.send();
    await clearSession(); // plays that end at a sign-out still belong to u1
    const plays = await add(2 * MAX_PLAYS_PER_REQUEST + 20);
    expect(server.requests).toEqual([]);

    await signIn('u1');
    await outbox.send();

    expect(server.requests.map((ids) => ids.length)).toEqual([MAX_PLAYS_PER_REQUEST, MAX_PLAYS_PER_REQUEST, 20]);
    expect(server.requests.flat()).toEqual(plays.map((play) => play.id));
    expect([...server.stored.values()][0]).toEqual({
      id: 'play-1',
      trackId: plays[0]!.trackId,
      startedAt: plays[0]!.startedAt,
      msPlayed: 90_000,
    });
    expect((await outbox.state()).plays).toEqual([]);
    expect(retries.at(-1)).toBeUndefined();
  });

  it('keeps plays through failures that pass, tries again after a growing wait, and counts each play once after a lost answer', async () => {
    await signIn('u1');
    const { outbox, server, retries, add } = setup();
    server.fail(
      offline(),
      new ApiError(503, 'http_503', 'down'),
      new ApiError(429, 'throttled', 'slow down'),
      new ApiError(408, 'http_408', 'slow'),
    );
    const plays = await add(1);
    for (let i = 0; i < 3; i++) await outbox.send();

    expect((await outbox.state()).plays.map((play) => play.id)).toEqual([plays[0]!.id]);
    expect(retries).toEqual([NOW + 30_000, NOW + 60_000, NOW + 120_000, NOW + 240_000]);
    // Chrome's service worker never sees `online`: a wait stays short enough to notice the network is back.
    expect(retryDelayMs(20, () => 0)).toBe(5 * 60_000);

    // The server stores the play but its answer never arrives: the resend is taken, not counted again.
    server.postPlays.mockImplementationOnce(async (batch) => {
      for (const play of batch) server.stored.set(play.id, play);
      throw offline();
    });
    await outbox.send();
    await outbox.send();

    expect(server.stored.size).toBe(1);
    expect(await outbox.state()).toMatchObject({ plays: [], failures: 0 });
    expect(retries.at(-1)).toBeUndefined();
  });

  it('drops a batch the server refuses, saying so once, and sends the rest', async () => {
    await signIn('u1');
    const { outbox, server, log, add } = setup();
    await outbox.send();
    await clearSession();
    await add(MAX_PLAYS_PER_REQUEST + 1);
    await signIn('u1');
    server.fail(new ApiError(400, 'invalid_input', 'bad play'));

    await outbox.send();

    expect(server.stored.size).toBe(1);
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: MAX_PLAYS_PER_REQUEST });
    expect(log.warn).toHaveBeenCalledOnce();
  });

  it('keeps plays on a 401 without asking for a retry: the next sign-in sends them', async () => {
    await signIn('u1');
    const { outbox, server, retries, add } = setup();
    server.fail(new ApiError(401, 'unauthorized', 'signed out'));
    await add(1);
    expect((await outbox.state()).plays).toHaveLength(1);
    expect(retries).toEqual([]);

    await outbox.send();
    expect(server.stored.size).toBe(1);
  });

  it('has one request under way at a time, so no play is in two at once', async () => {
    await signIn('u1');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = fakeServer();
    const inFlight = { now: 0, most: 0 };
    const postPlays = vi.fn(async (plays: PlayInput[]) => {
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await gate;
      inFlight.now--;
      return server.postPlays(plays);
    });
    const { outbox } = setup({ postPlays });

    const adds = Array.from({ length: 5 }, () => recordedPlay()).map((play) => outbox.add(play));
    const sends = [outbox.send(), outbox.send(), outbox.send()];
    await Promise.all(adds);
    release();
    await Promise.all(sends);
    await outbox.send();

    expect(inFlight.most).toBe(1);
    expect(server.requests.flat().sort()).toEqual(['play-1', 'play-2', 'play-3', 'play-4', 'play-5']);
    expect(server.stored.size).toBe(5);
  });

  it("never sends one account's plays on another's: they wait for the same account, and go when another signs in", async () => {
    await signIn('alice');
    const { outbox, server, add } = setup();
    await outbox.send();
    await clearSession();
    const alices = await add(2, 'alice');

    await signIn('alice');
    await outbox.send();
    expect(server.requests.flat()).toEqual(alices.map((play) => play.id));

    await clearSession();
    await add(3, 'alice');
    await signIn('bob');
    const bobs = await add(1, 'bob');

    expect(server.requests.flat()).toEqual([...alices, ...bobs].map((play) => play.id));
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: 3 });
  });

  it("stops a send when another account signs in meanwhile: the first one's plays never go with the new token", async () => {
    await signIn('alice');
    const postedAs: string[] = [];
    const server = fakeServer();
    const { outbox, add } = setup({
      postPlays: async (plays) => {
        postedAs.push(`${(await readSession())!.user.id}:${plays.length}`); // the API client sends the current session's token
        if (postedAs.length === 1) await signIn('bob'); // alice signs out and bob in, during the backlog's first request
        return server.postPlays(plays);
      },
    });
    await outbox.send();
    await clearSession();
    await add(MAX_PLAYS_PER_REQUEST + 10, 'alice');
    await signIn('alice');
    await outbox.send();

    expect(postedAs).toEqual([`alice:${MAX_PLAYS_PER_REQUEST}`]);
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: 10 });
  });

  it('drops only the play a 400 names and sends the rest, and leaves out plays the server would find too old', async () => {
    await signIn('u1');
    const { outbox, server, log, add } = setup();
    await outbox.send();
    await clearSession();
    const tooOld = { ...recordedPlay(), startedAt: new Date(NOW - MAX_PLAY_AGE_MS - 60_000).toISOString() };
    await outbox.add(tooOld);
    const plays = await add(MAX_PLAYS_PER_REQUEST - 1);
    await signIn('u1');
    server.fail(new ApiError(400, 'invalid_input', 'plays.2.startedAt: lies in the future', 'plays.2.startedAt'));

    await outbox.send();

    expect(server.requests.map((ids) => ids.length)).toEqual([MAX_PLAYS_PER_REQUEST - 1, MAX_PLAYS_PER_REQUEST - 2]);
    expect([...server.stored.keys()]).toEqual(plays.filter((_, i) => i !== 2).map((play) => play.id));
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: 2 });
    expect(log.warn).toHaveBeenCalledTimes(2);
  });

  it('counts plays the server refused for their time as dropped', async () => {
    await signIn('u1');
    const { outbox, server, add } = setup();
    server.postPlays.mockImplementationOnce(async (plays) => ({
      recorded: plays.length - 1,
      known: 0,
      unknownTrackIds: [],
      refusedPlayIds: [plays[0]!.id],
      paused: false,
    }));
    await add(1);
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: 1 });
  });

  it("drops the waiting plays its account heard before it cleared its history, and no one else's", async () => {
    await signIn('u1');
    const { outbox, server, add } = setup();
    await outbox.send();
    await clearSession();
    await add(2, 'u1');
    await add(1, 'u2');
    await signIn('u1');
    await markHistoryCleared(new Date(NOW));
    const after = { ...recordedPlay('u1'), startedAt: new Date(NOW + 1000).toISOString() };
    await outbox.add(after);
    await outbox.settled();

    expect(server.requests.flat()).toEqual([after.id]);
    expect(await outbox.state()).toMatchObject({ plays: [], dropped: 3 });
  });

  it('keeps at most the newest plays it may hold, counting those dropped', async () => {
    await signIn('u1');
    const { outbox, add } = setup({ maxQueued: 3 });
    await outbox.send();
    await clearSession();
    const plays = await add(5);

    expect(await outbox.state()).toMatchObject({ plays: plays.slice(2).map(({ id }) => ({ id })), dropped: 2 });
  });

  it('in the background: sends at start, on its alarm, online again and at sign-in, and copies the history setting', async () => {
    await signIn('u1');
    const send = vi.fn(async () => {});
    const getSettings = vi.fn(async () => ({ historyPaused: true }));
    const connects: ((port: { name: string }) => void)[] = [];
    vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((l) => void connects.push(l as never));
    keepSendingPlays({ send }, getSettings, { warn: () => {} });
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    await vi.waitFor(async () => expect(await listeningSettingsItem.getValue()).toEqual({ historyPaused: true }));

    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: NOW, persistAcrossSessions: false });
    await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: NOW, persistAcrossSessions: false });
    globalThis.dispatchEvent(new Event('online')); // Firefox's background page; a Chrome service worker never gets it
    expect(send).toHaveBeenCalledTimes(3);
    // A popup opening: the listener is at the browser, likely online.
    for (const name of [PREWARM_PORT, 'player/other']) connects.forEach((listener) => listener({ name }));
    expect(send).toHaveBeenCalledTimes(4);

    await signIn('u1'); // a token refresh: nothing new
    await clearSession();
    getSettings.mockResolvedValueOnce({ historyPaused: false });
    await signIn('u2');
    await vi.waitFor(async () => expect(await listeningSettingsItem.getValue()).toEqual({ historyPaused: false }));
    expect(send).toHaveBeenCalledTimes(5);
    expect(getSettings).toHaveBeenCalledTimes(2);
  });
});
