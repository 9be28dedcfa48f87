// @vitest-environment node
// Node's own fetch: happy-dom's applies a page's CORS rules, and this spec talks real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makePlay, makePlays } from '@@/test/extension/plays';
import { startListenBrainzStub, type ListenBrainzStub } from '@@/test/support/listenbrainz-stub';
import { listeningSettingsItem } from './listening-settings';
import { scrobbleProblemItem, scrobbleSettingsItem } from './scrobble-settings';
import { createScrobbler, FLUSH_ALARM, scrobbleQueueItem, toListen, type Scrobbler } from './scrobbler';

/**
 * The scrobbler against a local ListenBrainz stub over real HTTP: what reaches the server, in
 * which batches, and what a failing server (500, 429, a lost answer, a refused token) does to
 * the queue. Retry waits are shortened; a 429's `X-RateLimit-Reset-In` is waited for as told.
 */
describe('scrobbling to a ListenBrainz server', () => {
  let stub: ListenBrainzStub;
  const log = { info: vi.fn(), warn: vi.fn() };

  beforeAll(async () => {
    stub = await startListenBrainzStub({ token: 'token-1', user: 'ada' });
  });
  afterAll(() => stub?.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    stub.listens.length = 0;
    stub.received.length = 0;
    stub.requests.length = 0;
    log.warn.mockClear();
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: stub.url, token: 'token-1', userId: 'listener' });
  });

  const start = (): Scrobbler =>
    createScrobbler({ log, clientVersion: '1.2.3', client: { retryDelaysMs: [20, 50], maxRateLimitWaitMs: 5_000 } });

  /** Plays queued in an earlier session (offline, or the browser closed before they went out). */
  async function backlog(count: number) {
    const plays = makePlays(count);
    await scrobbleQueueItem.setValue(plays.map((play) => ({ id: play.id, userId: play.userId, listen: toListen(play, '1.2.3')! })));
    return plays;
  }

  it('sends one play as a `single` listen with its track, time and client', async () => {
    const scrobbler = start();
    const play = makePlay({ track: { title: 'Blue in Green', artist: 'Miles Davis', album: 'Kind of Blue', durationMs: 337_000 } });
    await scrobbler.add(play);
    await scrobbler.flush();

    expect(stub.received).toHaveLength(1);
    expect(stub.received[0]!.listenType).toBe('single');
    expect(stub.listens).toEqual([
      {
        user: 'ada',
        listened_at: Math.floor(Date.parse(play.startedAt) / 1000),
        track_metadata: {
          artist_name: 'Miles Davis',
          track_name: 'Blue in Green',
          release_name: 'Kind of Blue',
          additional_info: expect.objectContaining({
            duration_ms: 337_000,
            submission_client: 'Alktunes',
            submission_client_version: '1.2.3',
          }),
        },
      },
    ]);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('sends a backlog as `import` batches of at most 100, oldest first', async () => {
    const plays = await backlog(230);
    const scrobbler = start();
    await scrobbler.flush();

    expect(stub.received.map((r) => [r.listenType, r.listens.length])).toEqual([
      ['import', 100],
      ['import', 100],
      ['import', 30],
    ]);
    expect(stub.listens.map((l) => l.listened_at)).toEqual(plays.map((p) => Math.floor(Date.parse(p.startedAt) / 1000)));
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('sends again after 500s and after a 429, waiting as long as the server said', async () => {
    const scrobbler = start();
    stub.failNext(2, { status: 500 });
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(stub.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(stub.listens).toHaveLength(1);

    stub.failNext(1, { status: 429, resetInSeconds: 1 });
    const before = performance.now();
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(performance.now() - before).toBeGreaterThanOrEqual(1_000);
    expect(stub.requests.map((r) => r.status)).toEqual([500, 500, 200, 429, 200]);
    expect(stub.listens).toHaveLength(2);
  });

  it('keeps what the server did not take and sends each play once when a batch fails in the middle', async () => {
    const plays = await backlog(250);
    // The first batch goes through; the second meets a 500 on its send and both retries.
    stub.failNext(3, { status: 500 }, { after: 1 });
    const scrobbler = start();
    await scrobbler.flush();
    expect(stub.requests.map((r) => r.status)).toEqual([200, 500, 500, 500]);
    expect(await scrobbleQueueItem.getValue()).toHaveLength(150);
    // The alarm brings the background back for the rest.
    expect(await fakeBrowser.alarms.get(FLUSH_ALARM)).toBeDefined();

    await fakeBrowser.alarms.onAlarm.trigger({ name: FLUSH_ALARM, scheduledTime: Date.now(), persistAcrossSessions: false });
    await scrobbler.flush();
    expect(stub.received.map((r) => r.listens.length)).toEqual([100, 100, 50]);
    expect(stub.received.flatMap((r) => r.listens.map((l) => l.listened_at))).toEqual(
      plays.map((p) => Math.floor(Date.parse(p.startedAt) / 1000)),
    );
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
    expect(await fakeBrowser.alarms.get(FLUSH_ALARM)).toBeUndefined();
  });

  it('does not send a play twice when the answer to a batch got lost, or when the play is handed over again', async () => {
    const plays = await backlog(3);
    const scrobbler = start();
    // The server keeps the listens but the answer never arrives: the batch is sent again.
    stub.failNext(1, { drop: 'after-storing' });
    await scrobbler.flush();
    expect(stub.requests.map((r) => r.status)).toEqual([0, 200]);
    expect(stub.listens).toHaveLength(3);

    // The recorder hands the same plays over again (a restart mid-handover): nothing is queued.
    for (const play of plays) await scrobbler.add(play);
    await scrobbler.flush();
    expect(stub.received.flatMap((r) => r.listens)).toHaveLength(6);
    expect(stub.requests).toHaveLength(2);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('stops at a refused token, keeps the listens, and reports it for the options page', async () => {
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: stub.url, token: 'revoked', userId: 'listener' });
    const scrobbler = start();
    const play = makePlay();
    await scrobbler.add(play);
    await scrobbler.flush();

    expect(stub.requests.map((r) => r.status)).toEqual([401]);
    expect(await scrobbleProblemItem.getValue()).toMatchObject({ code: 'token_rejected' });
    expect((await scrobbleQueueItem.getValue()).map((q) => q.id)).toEqual([play.id]);
    expect(JSON.stringify(log.warn.mock.calls)).not.toContain('revoked');

    // More plays queue up but nothing is sent with the refused token.
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(stub.requests).toHaveLength(1);

    // A new token (the options page clears the problem when it saves one) sends the backlog.
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: stub.url, token: 'token-1', userId: 'listener' });
    await scrobbleProblemItem.setValue(null);
    await scrobbler.flush();
    expect(stub.listens).toHaveLength(2);
  });

  it('never sends a listen the server would refuse for its time, so the rest of its batch goes', async () => {
    const plays = await backlog(5);
    const queue = await scrobbleQueueItem.getValue();
    queue[1]!.listen.listened_at = 1_000_000_000; // a clock that had lost its battery: 2001
    queue[3]!.listen.listened_at = Math.floor(Date.now() / 1000) + 2 * 3600;
    await scrobbleQueueItem.setValue(queue);
    await start().flush();

    expect(stub.requests.map((r) => r.status)).toEqual([200]);
    expect(stub.listens.map((l) => l.listened_at)).toEqual([0, 2, 4].map((i) => Math.floor(Date.parse(plays[i]!.startedAt) / 1000)));
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });

  it('sends nothing while listening history is paused', async () => {
    await listeningSettingsItem.setValue({ historyPaused: true });
    const scrobbler = start();
    await scrobbler.add(makePlay());
    await scrobbler.flush();
    expect(stub.requests).toEqual([]);
    expect(await scrobbleQueueItem.getValue()).toEqual([]);
  });
});
