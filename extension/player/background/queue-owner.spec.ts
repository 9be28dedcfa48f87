import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { ApiError } from '@/api/api-client';
import { NOTHING_LOADED, type AudioOutput } from '@/player/audio-output';
import { AUDIO_HOST_PORT, PREWARM_PORT, sendMessage, type LoadRequest, type MediaStatus } from '@/player/messages';
import { IDLE_PLAYER_STATE, playerStateItem } from '@/player/player-state';
import { REPEAT_WINDOW_MS } from './media-keys';
import type { ProbeResult } from './media-probe';
import { createQueueOwner, HOST_MIN_LIFE_MS, MAX_PREWARM_TRACKS, servePrewarm, serveQueueOwner } from './queue-owner';

const playing = (over: Partial<MediaStatus> = {}): MediaStatus => ({ loaded: true, paused: false, currentTime: 0, duration: 30, ...over });
const url = (id: string, n = 1) => `https://media.test/${id}?v=${n}`;

function setup(probe: ProbeResult = 'reachable') {
  let media: MediaStatus = { ...NOTHING_LOADED };
  const hooks = { beforeClose: async () => {} };
  /** Each close that went through. */
  const closed: true[] = [];
  let preloaded: string | undefined;
  const output = {
    load: vi.fn(async (request: LoadRequest) => (media = playing({ currentTime: request.startAt ?? 0, trackId: request.track?.id }))),
    preload: vi.fn<AudioOutput['preload']>(async (item) => ((preloaded = item?.track?.id), media)),
    advance: vi.fn(async (trackId: string) => (trackId === preloaded ? ((preloaded = undefined), (media = playing({ trackId }))) : null)),
    pause: vi.fn(async () => (media = { ...media, paused: true, currentTime: 12 })),
    resume: vi.fn(async () => (media.loaded ? (media = { ...media, paused: false }) : media)),
    seek: vi.fn(async (positionSec: number) => (media = { ...media, currentTime: positionSec })),
    setVolume: vi.fn<AudioOutput['setVolume']>(async () => media),
    stop: vi.fn(async () => (media = { ...NOTHING_LOADED })),
    status: vi.fn(async () => media),
    prepare: vi.fn(async () => {}),
    buffer: vi.fn<NonNullable<AudioOutput['buffer']>>(async () => media),
    forget: vi.fn(async () => media),
    /** Closes unless `idle()` says no when asked, like the offscreen output (after `beforeClose`, e.g. its existence check). */
    close: vi.fn(async (idle?: () => boolean) => {
      await hooks.beforeClose();
      if (!idle || idle()) closed.push(true);
    }),
  } satisfies AudioOutput;
  const fetched = new Map<string, number>();
  const streams = {
    get: vi.fn(async (id: string, options: { fresh?: boolean } = {}) => {
      const n = (fetched.get(id) ?? 0) + (options.fresh || !fetched.has(id) ? 1 : 0);
      fetched.set(id, n);
      return { url: url(id, n), expiresAt: '', contentType: 'audio/wav' };
    }),
    clear: vi.fn(async () => {}),
  };
  const probeMedia = vi.fn(async () => probe);
  const sleep = vi.fn(async (_ms: number) => {});
  const log = { error: () => {}, warn: () => {} };
  const clock = { now: 1_000 };
  const refreshToken = vi.fn(async () => {});
  const owner = createQueueOwner({
    output,
    streams,
    refreshToken,
    storage: playerStateItem,
    probe: probeMedia,
    sleep,
    now: () => clock.now,
    log,
    random: () => 0.5,
  });
  return { output, streams, probeMedia, sleep, refreshToken, owner, clock, hooks, closed, setMedia: (m: MediaStatus) => (media = m) };
}

describe('queue owner', () => {
  beforeEach(() => fakeBrowser.reset());

  it('looks up the stream URL of a track about to be played, and nothing else', async () => {
    const { owner, output, streams } = setup();
    const [track] = makeTracks(1);

    const state = await owner.warm(track!.id);

    expect(streams.get).toHaveBeenCalledWith(track!.id);
    expect(state).toMatchObject({ status: 'idle', queue: [] });
    expect(output.load).not.toHaveBeenCalled();
    await expect(owner.warm('')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  describe('prewarm (an open popup gets its first play ready)', () => {
    it('opens the audio host, refreshes the token, then fetches the URLs and buffers them by track id', async () => {
      const { owner, output, streams, refreshToken } = setup();
      const [a, b] = makeTracks(2);
      const order: string[] = [];
      output.prepare.mockImplementationOnce(async () => void order.push('prepare'));
      refreshToken.mockImplementationOnce(async () => void order.push('token'));
      streams.get.mockImplementation(
        async (id: string) => (order.push(`url ${id}`), { url: url(id), expiresAt: '', contentType: 'audio/wav' }),
      );

      expect(await owner.prewarm([a!.id, b!.id])).toMatchObject({ status: 'idle' });

      // The document opens while the token and URLs are looked up; the URLs wait for the token.
      expect(order.slice(0, 2).sort()).toEqual(['prepare', 'token']);
      expect(order.slice(2)).toEqual([`url ${a!.id}`, `url ${b!.id}`]);
      expect(output.buffer).toHaveBeenCalledWith([
        { trackId: a!.id, url: url(a!.id) },
        { trackId: b!.id, url: url(b!.id) },
      ]);
      expect(output.load).not.toHaveBeenCalled();
    });

    it('uses at most MAX_PREWARM_TRACKS distinct ids, and leaves out the track playing and a track it cannot look up', async () => {
      const { owner, output, streams } = setup();
      const tracks = makeTracks(6);
      await owner.playTracks(tracks, 0);
      streams.get.mockClear();
      streams.get.mockImplementation(async (id: string) => {
        if (id === tracks[2]!.id) throw new Error('gone');
        return { url: url(id), expiresAt: '', contentType: 'audio/wav' };
      });
      const ids = [tracks[0]!.id, tracks[1]!.id, tracks[1]!.id, tracks[2]!.id, tracks[3]!.id, tracks[4]!.id];

      await owner.prewarm(ids);

      expect(MAX_PREWARM_TRACKS).toBe(3);
      expect(streams.get.mock.calls.map(([id]) => id)).toEqual([tracks[1]!.id, tracks[2]!.id, tracks[3]!.id]);
      expect(output.buffer).toHaveBeenLastCalledWith([
        { trackId: tracks[1]!.id, url: url(tracks[1]!.id) },
        { trackId: tracks[3]!.id, url: url(tracks[3]!.id) },
      ]);
    });

    it('refuses a request that is not a list of track ids, and opens nothing for an empty one', async () => {
      const { owner, output } = setup();
      for (const bad of [undefined, 'abc', [''], [42], ['x'.repeat(201)]]) {
        await expect(owner.prewarm(bad as string[])).rejects.toMatchObject({ code: 'invalid_input' });
      }
      await owner.prewarm([]);
      expect(output.prepare).not.toHaveBeenCalled();
      expect(output.buffer).not.toHaveBeenCalled();
    });

    it('closes the audio host when the popup closes with nothing loaded; while a track is loaded or playing it only forgets the likely plays', async () => {
      const { owner, output, closed } = setup();
      const tracks = makeTracks(2);
      await owner.prewarm([tracks[0]!.id]);
      await owner.release();
      expect(closed).toHaveLength(1);
      expect(output.forget).not.toHaveBeenCalled();

      await owner.playTracks(tracks, 0);
      await owner.release();
      await owner.pause();
      await owner.release();
      expect(output.close).toHaveBeenCalledOnce();
      expect(output.forget).toHaveBeenCalledTimes(2);
    });

    it('calls the close off at the last moment when a play or a new popup comes while the audio host is being closed', async () => {
      const { owner, output, hooks, closed } = setup();
      const tracks = makeTracks(2);
      // A media key while the close checks that the document is there.
      hooks.beforeClose = async () => void (await owner.playTracks(tracks, 0));
      await owner.prewarm([tracks[1]!.id]);
      await owner.release();
      expect(output.close).toHaveBeenCalledOnce();
      expect(closed).toEqual([]);
      expect(await owner.state()).toMatchObject({ status: 'playing' });

      // A popup that opens again meanwhile: its prewarm wins too.
      await owner.stop();
      hooks.beforeClose = async () => void (await owner.prewarm([tracks[1]!.id]));
      await owner.release();
      expect(output.close).toHaveBeenCalledTimes(2);
      expect(closed).toEqual([]);
    });

    /** Ports as `runtime.onConnect` hands them to the background; `connect` opens one to its listeners. */
    function fakePorts() {
      type Listener = (...args: unknown[]) => void;
      const connects: Listener[] = [];
      vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((l) => void connects.push(l as Listener));
      vi.spyOn(fakeBrowser.runtime.onConnect, 'removeListener').mockImplementation(() => connects.splice(0));
      const connect = (name: string) => {
        const on: Record<string, Listener[]> = { message: [], disconnect: [] };
        const port = {
          name,
          onMessage: { addListener: (l: Listener) => on.message!.push(l) },
          onDisconnect: { addListener: (l: Listener) => on.disconnect!.push(l) },
          post: (m: unknown) => on.message!.forEach((l) => l(m)),
          close: () => on.disconnect!.forEach((l) => l()),
        };
        connects.forEach((l) => l(port));
        return port;
      };
      return { connects, connect };
    }

    it("follows the popups' ports: each request prewarms, and the last one to close releases", async () => {
      const { owner, output } = setup();
      const [track] = makeTracks(1);
      const { connects, connect } = fakePorts();
      const stop = servePrewarm(owner);
      const [first, second] = [connect(PREWARM_PORT), connect(PREWARM_PORT), connect('player/progress')];

      first.post({ trackIds: [track!.id] });
      await vi.waitFor(() => expect(output.buffer).toHaveBeenCalledOnce());
      first.close();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(output.close).not.toHaveBeenCalled();
      second.close();
      await vi.waitFor(() => expect(output.close).toHaveBeenCalledOnce());
      stop();
      expect(connects).toEqual([]);
    });

    it("opens the audio host again at once when Chrome closes it while a popup is open, with that popup's latest request", async () => {
      const { owner, output } = setup();
      const [a, b] = makeTracks(2);
      const { connect } = fakePorts();
      const clock = { now: 0 };
      servePrewarm(owner, console, () => clock.now);
      const popup = connect(PREWARM_PORT);
      popup.post({ trackIds: [a!.id] });
      popup.post({ trackIds: [b!.id] });
      await vi.waitFor(() => expect(output.buffer).toHaveBeenCalledTimes(2));

      const host = connect(AUDIO_HOST_PORT);
      clock.now += 30_000; // no sound for 30 s
      host.close();
      await vi.waitFor(() => expect(output.buffer).toHaveBeenCalledTimes(3));
      expect(output.buffer).toHaveBeenLastCalledWith([{ trackId: b!.id, url: url(b!.id) }]);
      expect(output.prepare).toHaveBeenCalledTimes(3);

      // A document that goes away at once (it crashed) is left to the popup's next request; and
      // with no popup open, a closed document stays closed.
      const crashed = connect(AUDIO_HOST_PORT);
      clock.now += HOST_MIN_LIFE_MS - 1;
      crashed.close();
      popup.close();
      const closed = connect(AUDIO_HOST_PORT);
      clock.now += 60_000;
      closed.close();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(output.prepare).toHaveBeenCalledTimes(3);
    });

    it("hands the stream URL's expiry to the audio host with every track it loads, preloads or buffers", async () => {
      const { owner, output, streams } = setup();
      const tracks = makeTracks(3);
      const expiresAt = '2030-01-01T00:15:00.000Z';
      streams.get.mockImplementation(async (id: string) => ({ url: url(id), expiresAt, contentType: 'audio/wav' }));

      await owner.playTracks(tracks, 0);
      await owner.prewarm([tracks[2]!.id]);

      expect(output.load).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[0]!.id), expiresAt }));
      await vi.waitFor(() => expect(output.preload).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[1]!.id), expiresAt })));
      expect(output.buffer).toHaveBeenCalledWith([{ trackId: tracks[2]!.id, url: url(tracks[2]!.id), expiresAt }]);
    });

    it("looks up the current track's URL ahead when the worker starts and nothing plays", async () => {
      const tracks = makeTracks(2);
      await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue: tracks, index: 1, positionSec: 30 });
      const { owner, streams, output } = setup();
      await owner.warmCurrent();
      expect(streams.get).toHaveBeenCalledWith(tracks[1]!.id);
      expect(output.prepare).not.toHaveBeenCalled();
    });
  });

  it('plays the picked track, preloads the next and persists the state in storage.local', async () => {
    const { owner, output } = setup();
    const tracks = makeTracks(3);

    const state = await owner.playTracks(tracks, 1);

    expect(output.load).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[1]!.id), startAt: 0, volume: 1 }));
    expect(state).toMatchObject({ status: 'playing', index: 1, queue: tracks });
    await vi.waitFor(() => expect(output.preload).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[2]!.id) })));
    await owner.flush();
    expect(await fakeBrowser.storage.local.get('player')).toEqual({ player: state });
  });

  it('never stores the new queue without "loading", so an open popup never shows it idle or paused before it plays', async () => {
    const { owner } = setup();
    await owner.playTracks(makeTracks(2), 0);
    await owner.pause();
    await owner.flush();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');

    await owner.playTracks(makeTracks(3), 2);
    await owner.flush();

    const stored = set.mock.calls.map(([items]) => (items as { player?: { status: string; index: number } }).player).filter(Boolean);
    set.mockRestore();
    const statuses = stored.map((state) => state!.status);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set(['loading']));
    expect(statuses.at(-1)).toBe('playing');
  });

  it('pauses at the current position and resumes the loaded media', async () => {
    const { owner, output } = setup();
    await owner.playTracks(makeTracks(2), 0);

    expect(await owner.toggle()).toMatchObject({ status: 'paused', positionSec: 12 });
    expect(await owner.toggle()).toMatchObject({ status: 'playing' });
    expect(output.resume).toHaveBeenCalledOnce();
  });

  it('replays from the saved position when the offscreen document was closed while paused', async () => {
    const { owner, output, setMedia } = setup();
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);
    await owner.pause();
    setMedia({ ...NOTHING_LOADED });

    expect(await owner.play()).toMatchObject({ status: 'playing' });
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[0]!.id), startAt: 12 }));
  });

  it('comes back paused at the stored position after a restart (nothing is playing any more)', async () => {
    const tracks = makeTracks(2);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'playing', queue: tracks, index: 1, positionSec: 40 });
    const { owner } = setup();
    expect(await owner.state()).toMatchObject({ status: 'paused', index: 1, positionSec: 40 });
  });

  it('follows the audio host when it advanced on its own while the worker slept', async () => {
    const tracks = makeTracks(3);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'playing', queue: tracks, index: 0 });
    const { owner, output, setMedia } = setup();
    setMedia(playing({ trackId: tracks[1]!.id }));

    expect(await owner.handleAudioEvent({ type: 'advanced', trackId: tracks[1]!.id })).toMatchObject({ status: 'playing', index: 1 });
    await vi.waitFor(() => expect(output.preload).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[2]!.id) })));
  });

  it('"next" to the preloaded track tells the audio host first, before any storage or URL work', async () => {
    const { owner, output, streams } = setup();
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 0);
    await vi.waitFor(() => expect(output.preload).toHaveBeenCalledWith(expect.objectContaining({ url: url(tracks[1]!.id) })));
    await owner.flush();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    streams.get.mockClear();
    output.load.mockClear();
    output.advance.mockImplementationOnce(async (trackId: string) => {
      // Nothing else has happened yet when the message goes out.
      expect(set).not.toHaveBeenCalled();
      expect(streams.get).not.toHaveBeenCalled();
      return playing({ trackId });
    });

    const state = await owner.next();

    expect(output.advance).toHaveBeenCalledWith(tracks[1]!.id);
    expect(output.load).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'playing', index: 1 });
    await owner.flush();
    expect(await fakeBrowser.storage.local.get('player')).toEqual({ player: expect.objectContaining({ index: 1, status: 'playing' }) });
    await vi.waitFor(() => expect(output.preload).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[2]!.id) })));
  });

  it('falls back to loading the track when the audio host had nothing preloaded after all', async () => {
    const { owner, output } = setup();
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 0);
    await vi.waitFor(() => expect(output.preload).toHaveBeenCalled());
    output.advance.mockResolvedValueOnce(null); // e.g. the document was closed and recreated

    expect(await owner.next()).toMatchObject({ status: 'playing', index: 1 });
    expect(output.advance).toHaveBeenCalledOnce();
    expect(output.load).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: url(tracks[1]!.id), track: expect.objectContaining({ id: tracks[1]!.id }) }),
    );
  });

  it('does not try the preloaded shortcut for a track that was not preloaded', async () => {
    const { owner, output } = setup();
    const tracks = makeTracks(4);
    await owner.playTracks(tracks, 0);
    await vi.waitFor(() => expect(output.preload).toHaveBeenCalled());
    await owner.jump(3);
    expect(output.advance).not.toHaveBeenCalled();
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[3]!.id) }));
  });

  it('moves on when a track ends with nothing preloaded, and goes idle after the last', async () => {
    const { owner } = setup();
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);

    expect(await owner.handleAudioEvent({ type: 'ended', trackId: tracks[0]!.id })).toMatchObject({ status: 'playing', index: 1 });
    expect(await owner.handleAudioEvent({ type: 'ended', trackId: tracks[1]!.id })).toMatchObject({ status: 'idle', index: 1 });
  });

  it('restarts the track when "previous" comes more than 3 s in, else goes back one', async () => {
    const { owner, output, setMedia } = setup();
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 1);
    setMedia(playing({ currentTime: 10, trackId: tracks[1]!.id }));
    expect(await owner.previous()).toMatchObject({ index: 1, positionSec: 0 });
    expect(output.seek).toHaveBeenCalledWith(0);
    setMedia(playing({ currentTime: 1, trackId: tracks[1]!.id }));
    expect(await owner.previous()).toMatchObject({ index: 0, status: 'playing' });
  });

  it('refreshes a refused URL and resumes where it was', async () => {
    const { owner, output, probeMedia } = setup('reachable');
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);

    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 17, message: 'x' });
    expect(state).toMatchObject({ status: 'playing', index: 0 });
    expect(probeMedia).toHaveBeenCalledWith(url(tracks[0]!.id, 2));
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[0]!.id, 2), startAt: 17 }));
  });

  it('reloads a track played again later when it fails early, though it failed and was reloaded before', async () => {
    const { owner, output } = setup('reachable');
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 0);
    await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 17, message: 'x' });
    await owner.jump(1);
    await owner.jump(0);

    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 1, message: 'x' });

    expect(state).toMatchObject({ status: 'playing', index: 0 });
    expect(state.notice).toBeUndefined();
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[0]!.id, 3), startAt: 1 }));
  });

  it('reloads a track the audio host went on to by itself when it fails early, though it failed and was reloaded before', async () => {
    const { owner, output } = setup('reachable');
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);
    await owner.setRepeat('all');
    await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 17, message: 'x' });
    await owner.handleAudioEvent({ type: 'advanced', trackId: tracks[1]!.id });
    await owner.handleAudioEvent({ type: 'advanced', trackId: tracks[0]!.id });

    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 1, message: 'x' });

    expect(state).toMatchObject({ status: 'playing', index: 0 });
    expect(state.notice).toBeUndefined();
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(tracks[0]!.id, 3), startAt: 1 }));
    await owner.flush(); // "repeat all" must not reach the next test's storage
  });

  it('skips a track that fails again just after it was reloaded, instead of reloading it forever', async () => {
    const { owner, output } = setup('reachable');
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 0);

    expect(await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 0.1, message: 'x' })).toMatchObject({
      index: 0,
    });
    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 0.2, message: 'x' });

    expect(state).toMatchObject({ status: 'playing', index: 1, notice: { code: 'track_skipped' } });
    expect(output.load.mock.calls.filter(([request]) => request.track?.id === tracks[0]!.id)).toHaveLength(2);
  });

  it('reloads again a track that failed long after its last reload', async () => {
    const { owner, output } = setup('reachable');
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);

    await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 17, message: 'x' });
    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 600, message: 'x' });

    expect(state).toMatchObject({ status: 'playing', index: 0 });
    expect(output.load).toHaveBeenLastCalledWith(expect.objectContaining({ startAt: 600 }));
  });

  it('skips a track that cannot be played, with a notice', async () => {
    const { owner, output } = setup('reachable');
    const tracks = makeTracks(3, { title: 'Broken' });
    output.load.mockRejectedValueOnce(new Error('decode')).mockRejectedValueOnce(new Error('decode'));

    const state = await owner.playTracks(tracks, 0);
    expect(state).toMatchObject({ status: 'playing', index: 1, notice: { code: 'track_skipped' } });
    expect(state.notice?.message).toContain('Broken');
  });

  it('skips at once when the file behind a fresh URL is gone, and pauses with a notice after the last', async () => {
    const { owner, output } = setup('unavailable');
    output.load.mockRejectedValue(new Error('404'));
    const state = await owner.playTracks(makeTracks(2), 1);
    expect(state).toMatchObject({ status: 'paused', index: 1, notice: { code: 'track_skipped' } });
    expect(state.error).toBeTruthy();
  });

  it('retries with growing delays while the network is down, then resumes at the position', async () => {
    const { owner, probeMedia, sleep } = setup();
    probeMedia.mockResolvedValueOnce('network').mockResolvedValueOnce('network');
    const tracks = makeTracks(1);
    await owner.playTracks(tracks, 0);

    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 20, message: 'x' });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000, 2000]);
    expect(state).toMatchObject({ status: 'playing', positionSec: 20 });
  });

  it('gives up after a while offline and pauses with a notice', async () => {
    const { owner, probeMedia } = setup('network');
    const tracks = makeTracks(1);
    await owner.playTracks(tracks, 0);
    probeMedia.mockResolvedValue('network');
    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 5, message: 'x' });
    expect(state).toMatchObject({ status: 'paused', positionSec: 5, notice: { code: 'offline' } });
  });

  it('stops cleanly when the session is gone', async () => {
    const { owner, streams, output } = setup();
    const tracks = makeTracks(2);
    await owner.playTracks(tracks, 0);
    streams.get.mockRejectedValueOnce(new ApiError(401, 'unauthorized', 'Your session has ended.'));
    const state = await owner.handleAudioEvent({ type: 'error', trackId: tracks[0]!.id, positionSec: 5, message: 'x' });
    expect(state).toMatchObject({ status: 'idle', queue: [], notice: { code: 'signed_out' } });
    expect(output.stop).toHaveBeenCalled();
  });

  it('edits the queue and re-preloads what comes next', async () => {
    const { owner, output } = setup();
    const tracks = makeTracks(3);
    const extra = makeTracks(1);
    await owner.playTracks(tracks, 0);
    expect((await owner.enqueue(extra, 'next')).queue[1]).toBe(extra[0]);
    await vi.waitFor(() => expect(output.preload).toHaveBeenLastCalledWith(expect.objectContaining({ url: url(extra[0]!.id) })));
    expect((await owner.move(1, 3)).queue[3]).toEqual(extra[0]);
    expect((await owner.remove(3)).queue).toHaveLength(3);
    expect(await owner.setRepeat('one')).toMatchObject({ repeat: 'one' });
    expect(await owner.setShuffle(true)).toMatchObject({ shuffle: true, index: 0 });
    expect((await owner.clear()).queue).toEqual([tracks[0]]);
    await expect(owner.jump(5)).rejects.toThrow(/outside/);
  });

  it('sets volume and mute on the output and remembers them', async () => {
    const { owner, output } = setup();
    expect(await owner.setVolume(1.7)).toMatchObject({ volume: 1 });
    expect(await owner.setMuted(true)).toMatchObject({ muted: true });
    expect(output.setVolume).toHaveBeenLastCalledWith(1, true);
  });

  it('rejects an index outside the list', async () => {
    const { owner } = setup();
    await expect(owner.playTracks(makeTracks(1), 3)).rejects.toThrow(/outside/);
  });

  it('answers the commands of the message contract with the new state', async () => {
    const { owner } = setup();
    const tracks = makeTracks(3);
    await owner.playTracks(tracks, 0);
    const stop = serveQueueOwner(owner);

    expect(await sendMessage('player/next', {})).toMatchObject({ status: 'playing', index: 1, queue: tracks });
    expect(await sendMessage('player/state', {})).toMatchObject({ index: 1 });
    stop();
  });

  it('plays a media key press once when it arrives twice (keyboard command and Media Session)', async () => {
    const { owner, output, clock } = setup();
    await owner.playTracks(makeTracks(2), 0);
    const stop = serveQueueOwner(owner);

    expect(await sendMessage('player/control', { action: 'toggle' })).toMatchObject({ status: 'paused' });
    clock.now += REPEAT_WINDOW_MS - 1;
    expect(await owner.control('toggle')).toMatchObject({ status: 'paused' });
    expect(output.pause).toHaveBeenCalledOnce();
    expect(output.resume).not.toHaveBeenCalled();

    clock.now += REPEAT_WINDOW_MS; // a second press, however fast the test runs
    expect(await owner.control('toggle')).toMatchObject({ status: 'playing' });
    expect(output.resume).toHaveBeenCalledOnce();
    stop();
  });
});
