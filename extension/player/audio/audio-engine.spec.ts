import { describe, expect, it, vi } from 'vitest';
import type { AudioEvent } from '@/player/messages';
import { createAudioEngine, POOL_SIZE, type AudioElementLike } from './audio-engine';

/** Just enough of an `<audio>` element: it "plays" synchronously and fires events on demand. */
function fakeAudio() {
  const listeners = new Map<string, (() => void)[]>();
  const fire = (type: string) => listeners.get(type)?.forEach((listener) => listener());
  const audio = {
    src: '',
    currentTime: 0,
    duration: 30,
    paused: true,
    ended: false,
    /** 0 (`HAVE_NOTHING`) unless a spec says the element has data. */
    readyState: 0,
    volume: 1,
    muted: false,
    preload: 'auto',
    play: vi.fn(async () => {
      audio.paused = false;
      fire('playing');
    }),
    pause: vi.fn(() => {
      audio.paused = true;
      fire('pause');
    }),
    load: vi.fn(),
    removeAttribute: vi.fn((name: string) => {
      if (name === 'src') audio.src = '';
    }),
    addEventListener: (type: string, listener: () => void) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  return { audio, fire, element: audio as unknown as AudioElementLike };
}

/** An engine over fake elements, made in order as it asks for them: `a` first (it plays first), then `b`, … */
function setup() {
  const fakes = Array.from({ length: 8 }, fakeAudio);
  let made = 0;
  const events: AudioEvent[] = [];
  const engine = createAudioEngine(
    () => fakes[made++]!.element,
    (event) => events.push(event),
  );
  const [a, b, c, d, e] = fakes as [Fake, Fake, Fake, Fake, Fake];
  return { a, b, c, d, e, events, engine, made: () => made };
}
type Fake = ReturnType<typeof fakeAudio>;

const track = (id: string) => ({ id, title: id, artist: 'A', album: 'B' });

/** A `play()` that stays pending until the spec settles it; a `pause()` meanwhile rejects it, as browsers do. */
function pendingPlay(fake: Fake) {
  const play = { resolve: () => {}, reject: (_error: unknown) => {} };
  fake.audio.play.mockImplementationOnce(() => {
    fake.audio.paused = false;
    return new Promise<void>((resolve, reject) => {
      play.resolve = resolve;
      play.reject = reject;
    });
  });
  fake.audio.pause.mockImplementationOnce(() => {
    fake.audio.paused = true;
    play.reject(new DOMException('The play() request was interrupted by a call to pause().', 'AbortError'));
  });
  return play;
}

/** What `promise` settled to within a few ms, or `'pending'`. */
async function settledSoon<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 10))]);
}

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('audio engine', () => {
  it('plays a URL from the given position and reports its status', async () => {
    const { a, engine } = setup();
    const status = await engine.load({ url: 'https://media.test/a.wav', track: track('a'), startAt: 12, volume: 0.5 });
    expect(a.audio.src).toBe('https://media.test/a.wav');
    expect(a.audio.volume).toBe(0.5);
    expect(status).toEqual({ loaded: true, paused: false, currentTime: 12, duration: 30, trackId: 'a' });
  });

  it('reports what the element does on its own, not what its commands cause', async () => {
    const { a, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.pause();
    expect(events).toEqual([]);

    a.audio.play(); // e.g. a media key through the OS
    a.audio.pause();
    expect(events.map((e) => e.type)).toEqual(['playing', 'paused']);
  });

  it('goes on to the preloaded track by itself when one ends, and says so', async () => {
    const { a, b, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    expect(b.audio.src).toBe('https://media.test/b.wav');
    expect(b.audio.load).toHaveBeenCalled();

    a.audio.ended = true;
    a.fire('ended');
    await vi.waitFor(() => expect(events.at(-1)).toEqual({ type: 'advanced', trackId: 'b', previousTrackId: 'a' }));
    expect(b.audio.paused).toBe(false);
    expect(a.audio.src).toBe('');
    expect((await engine.status()).trackId).toBe('b');
  });

  it('reports `ended` when nothing is preloaded', async () => {
    const { a, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    a.audio.ended = true;
    a.fire('ended');
    expect(events).toEqual([{ type: 'ended', trackId: 'a' }]);
  });

  it('starts the preloaded track at once when it is asked for', async () => {
    const { b, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    const status = await engine.load({ url: 'https://media.test/b.wav', track: track('b') });
    expect(status).toMatchObject({ trackId: 'b', paused: false });
    expect(b.audio.play).toHaveBeenCalledOnce();
  });

  it('advances to the preloaded track on request: play() first, the old element unloaded after', async () => {
    const { a, b, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a'), volume: 0.4 });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    expect(b.audio.preload).toBe('auto');
    const order: string[] = [];
    b.audio.play.mockImplementationOnce(async () => {
      order.push(`play b (a src ${a.audio.src ? 'set' : 'gone'})`);
      b.audio.paused = false;
    });
    a.audio.removeAttribute.mockImplementationOnce(() => {
      order.push('unload a');
      a.audio.src = '';
    });

    const status = await engine.advance('b');

    expect(order).toEqual(['play b (a src set)', 'unload a']);
    expect(status).toMatchObject({ loaded: true, trackId: 'b', paused: false });
    expect(b.audio.volume).toBe(0.4);
    expect(events).toEqual([]); // a command, not something the element did on its own
    expect(await engine.advance('c')).toBeNull(); // nothing preloaded any more
  });

  it('does nothing on an advance to a track that is not the preloaded one', async () => {
    const { a, b, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    expect(await engine.advance('b')).toBeNull();
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    expect(await engine.advance('c')).toBeNull();
    expect(b.audio.play).not.toHaveBeenCalled();
    expect(a.audio.paused).toBe(false);
    expect((await engine.status()).trackId).toBe('a');
  });

  it('drops a preload that failed instead of switching to it', async () => {
    const { a, b, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/bad.wav', track: track('bad') });
    b.fire('error');
    a.audio.ended = true;
    a.fire('ended');
    expect(events).toEqual([{ type: 'ended', trackId: 'a' }]);
  });

  it('reports an error of the playing track with its position', async () => {
    const { a, events, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a'), startAt: 7 });
    a.fire('error');
    expect(events).toEqual([{ type: 'error', trackId: 'a', positionSec: 7, message: expect.any(String) }]);
  });

  it('says nothing is loaded before the first play, so the player replays instead of resuming', async () => {
    const { engine } = setup();
    expect(await engine.resume()).toMatchObject({ loaded: false });
  });

  it('turns a refused play into an error and forgets the media', async () => {
    const { a, engine } = setup();
    a.audio.play.mockRejectedValueOnce(new DOMException('not allowed', 'NotAllowedError'));
    await expect(engine.load({ url: 'https://media.test/a.wav' })).rejects.toThrow(/Playback failed/);
    expect((await engine.status()).loaded).toBe(false);
  });

  it('stops and unloads both elements', async () => {
    const { a, b, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    expect(await engine.stop()).toMatchObject({ loaded: false });
    expect([a.audio.src, b.audio.src]).toEqual(['', '']);
  });

  it('buffers the next track only once the one being started plays', async () => {
    const { a, b, engine } = setup();
    let started!: () => void;
    a.audio.play.mockImplementationOnce(
      () =>
        new Promise<void>(
          (resolve) =>
            (started = () => {
              a.audio.paused = false;
              resolve();
            }),
        ),
    );
    const loading = engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    const preloading = engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(b.audio.load).not.toHaveBeenCalled();
    expect(b.audio.src).toBe('');

    started();
    await Promise.all([loading, preloading]);
    expect(b.audio.src).toBe('https://media.test/b.wav');
    expect(b.audio.load).toHaveBeenCalledTimes(1);
    expect(await engine.advance('b')).toMatchObject({ trackId: 'b' });
  });

  it('pauses the old element at once but releases its media only once the new track plays', async () => {
    const { a, b, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    let started!: () => void;
    b.audio.play.mockImplementationOnce(
      () =>
        new Promise<void>(
          (resolve) =>
            (started = () => {
              b.audio.paused = false;
              resolve();
            }),
        ),
    );

    const advancing = engine.advance('b');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(a.audio.paused).toBe(true);
    expect(a.audio.src).toBe('https://media.test/a.wav');

    started();
    await advancing;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(a.audio.src).toBe('');
  });

  describe('a start that a newer one overtakes', () => {
    it('leaves the newer track loaded and playing, and still reports what it does', async () => {
      const { b, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      pendingPlay(b); // b's element is the active one once advanced; loading c pauses it

      const advancing = engine.advance('b');
      const status = await engine.load({ url: 'https://media.test/c.wav', track: track('c') });

      expect(status).toMatchObject({ loaded: true, paused: false, trackId: 'c' });
      expect(await advancing).toMatchObject({ trackId: 'c' }); // not "Playback failed"
      expect(await engine.status()).toMatchObject({ loaded: true, trackId: 'c' });
      expect(events).toEqual([]);
      b.audio.ended = true; // c plays in b's element
      b.fire('ended');
      expect(events).toEqual([{ type: 'ended', trackId: 'c' }]);
    });

    it('two quick advances end on the second track', async () => {
      const { b, c, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav' }]);
      await engine.preload({ url: 'https://media.test/c.wav', track: track('c') });
      pendingPlay(b);

      const first = engine.advance('b');
      const second = engine.advance('c');

      expect(await second).toMatchObject({ loaded: true, paused: false, trackId: 'c' });
      expect(await first).toMatchObject({ trackId: 'c' });
      c.audio.pause(); // e.g. the OS paused it
      expect(events).toEqual([{ type: 'paused', trackId: 'c', positionSec: 0 }]);
    });

    it('does not report an advance by itself that a load overtook', async () => {
      const { a, b, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      pendingPlay(b);
      a.audio.ended = true;
      a.fire('ended');
      await engine.load({ url: 'https://media.test/c.wav', track: track('c') });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(events).toEqual([]);
      expect(await engine.status()).toMatchObject({ loaded: true, trackId: 'c' });
    });
  });

  describe('a start of an element that already has data', () => {
    it('answers as soon as the element plays, without waiting for play() to settle', async () => {
      const { b, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      b.audio.readyState = 4; // HAVE_ENOUGH_DATA
      pendingPlay(b);
      expect(await settledSoon(engine.advance('b'))).toMatchObject({ loaded: true, paused: false, trackId: 'b' });
    });

    it('waits for play() when the element has no data yet', async () => {
      const { b, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      const play = pendingPlay(b);
      const advancing = engine.advance('b');
      expect(await settledSoon(advancing)).toBe('pending');
      play.resolve();
      expect(await advancing).toMatchObject({ trackId: 'b', paused: false });
    });

    it('reports a later failure of play() as an error of that track', async () => {
      const { b, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      b.audio.readyState = 4;
      const play = pendingPlay(b);
      await settledSoon(engine.advance('b'));
      b.fire('playing'); // caused by the advance: not reported
      play.reject(new DOMException('failed', 'NotSupportedError'));
      await vi.waitFor(() =>
        expect(events).toEqual([{ type: 'error', trackId: 'b', positionSec: 0, message: expect.stringContaining('failed') }]),
      );
    });

    it('says nothing when a pause cuts short the play() it answered early', async () => {
      const { b, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      b.audio.readyState = 4;
      pendingPlay(b);
      await settledSoon(engine.advance('b'));
      expect(await engine.pause()).toMatchObject({ loaded: true, paused: true, trackId: 'b' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(events).toEqual([]);
    });
  });

  describe('buffered URLs that expire', () => {
    it('does not start a buffered copy whose URL expires within a minute: loads the new URL', async () => {
      const { a, b, engine } = setup();
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=1', expiresAt: inMinutes(0.5) }]);
      expect(await engine.advance('b')).toBeNull();

      const status = await engine.load({ url: 'https://media.test/b.wav?sig=2', expiresAt: inMinutes(15), track: track('b') });

      expect(status).toMatchObject({ loaded: true, trackId: 'b' });
      expect(a.audio.src).toBe('https://media.test/b.wav?sig=2');
      expect(b.audio.src).toBe('');
    });

    it('buffers a track again under a fresher URL', async () => {
      const { b, engine, made } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=1', expiresAt: inMinutes(5) }]);
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=2', expiresAt: inMinutes(15) }]);
      expect(b.audio.src).toBe('https://media.test/b.wav?sig=2');
      expect(b.audio.load).toHaveBeenCalledTimes(2);
      // Not fresher: kept as it is.
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=3', expiresAt: inMinutes(10) }]);
      expect(b.audio.src).toBe('https://media.test/b.wav?sig=2');
      expect(made()).toBe(2);
      expect(await engine.load({ url: 'https://media.test/b.wav?sig=3', track: track('b') })).toMatchObject({ trackId: 'b' });
      expect(b.audio.play).toHaveBeenCalledOnce();
    });

    it('reports `ended` instead of going on to a next track whose URL is about to expire', async () => {
      const { a, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', expiresAt: inMinutes(0.5), track: track('b') });
      a.audio.ended = true;
      a.fire('ended');
      expect(events).toEqual([{ type: 'ended', trackId: 'a' }]);
    });
  });

  describe('releasing buffered tracks', () => {
    it('forgets the likely plays but keeps the next track', async () => {
      const { c, d, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/next.wav', track: track('next') });
      await engine.buffer(['x', 'y'].map((id) => ({ trackId: id, url: `https://media.test/${id}.wav` })));

      await engine.forget();

      expect([c.audio.src, d.audio.src]).toEqual(['', '']);
      expect(await engine.advance('x')).toBeNull();
      expect(await engine.advance('next')).toMatchObject({ trackId: 'next' });
    });

    it('does not buffer, after the track being started plays, what a stop or forget dropped meanwhile', async () => {
      for (const drop of ['stop', 'forget'] as const) {
        const { a, engine, made } = setup();
        const play = pendingPlay(a);
        const loading = engine.load({ url: 'https://media.test/a.wav', track: track('a') });
        const buffering = engine.buffer([{ trackId: 'x', url: 'https://media.test/x.wav' }]);
        await engine[drop]();
        play.resolve();
        await Promise.allSettled([loading, buffering]);
        expect(made()).toBe(1);
      }
    });

    it('does not buffer a next track that was forgotten while it waited', async () => {
      const { a, events, engine, made } = setup();
      const play = pendingPlay(a);
      const loading = engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      const preloading = engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      await engine.preload(null);
      play.resolve();
      await Promise.all([loading, preloading]);
      expect(made()).toBe(1);
      a.audio.ended = true;
      a.fire('ended');
      expect(events).toEqual([{ type: 'ended', trackId: 'a' }]);
    });
  });

  describe('the pool of buffered tracks, keyed by track id', () => {
    it('starts a buffered track at once on load, even under a newer URL', async () => {
      const { b, engine } = setup();
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=1' }]);
      expect(b.audio.src).toBe('https://media.test/b.wav?sig=1');
      expect(b.audio.load).toHaveBeenCalledOnce();

      const status = await engine.load({ url: 'https://media.test/b.wav?sig=2', track: track('b'), volume: 0.3 });

      expect(status).toMatchObject({ loaded: true, paused: false, trackId: 'b' });
      expect(b.audio.play).toHaveBeenCalledOnce();
      expect(b.audio.src).toBe('https://media.test/b.wav?sig=1'); // not loaded again
      expect(b.audio.load).toHaveBeenCalledOnce();
      expect(b.audio.volume).toBe(0.3);
    });

    it('keeps at most POOL_SIZE tracks, dropping the oldest but never the next track', async () => {
      const { a, b, c, d, e, engine, made } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/next.wav', track: track('next') });
      await engine.buffer(['x', 'y'].map((id) => ({ trackId: id, url: `https://media.test/${id}.wav` })));
      expect([b.audio.src, c.audio.src, d.audio.src]).toEqual([
        'https://media.test/next.wav',
        'https://media.test/x.wav',
        'https://media.test/y.wav',
      ]);
      expect(POOL_SIZE).toBe(3);

      await engine.buffer([{ trackId: 'z', url: 'https://media.test/z.wav' }]);

      // x, the oldest likely play, made room; its element was reused for z.
      expect(c.audio.src).toBe('https://media.test/z.wav');
      expect(made()).toBe(4);
      expect(e.audio.src).toBe('');
      expect(await engine.advance('x')).toBeNull();
      expect(a.audio.paused).toBe(false);

      a.audio.ended = true;
      a.fire('ended');
      await vi.waitFor(async () => expect((await engine.status()).trackId).toBe('next'));
    });

    it('buffers a likely play again only when it is not already buffered or playing', async () => {
      const { a, b, engine, made } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.buffer([{ trackId: 'a', url: 'https://media.test/a.wav?sig=2' }]);
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=1' }]);
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=2' }]);
      expect(made()).toBe(2);
      expect(a.audio.src).toBe('https://media.test/a.wav');
      expect(b.audio.load).toHaveBeenCalledOnce();
    });

    it('names a likely play once it becomes the next track, so advancing to it shows the track', async () => {
      const { b, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.buffer([{ trackId: 'b', url: 'https://media.test/b.wav?sig=1' }]);
      await engine.preload({ url: 'https://media.test/b.wav?sig=2', track: track('b') });

      expect(await engine.advance('b')).toMatchObject({ trackId: 'b', paused: false });
      expect(b.audio.load).toHaveBeenCalledOnce();
    });

    it('still goes on by itself to the next track, not to a likely play, when a track ends', async () => {
      const { a, c, events, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.buffer([{ trackId: 'x', url: 'https://media.test/x.wav' }]);
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });

      a.audio.ended = true;
      a.fire('ended');

      await vi.waitFor(() => expect(events.at(-1)).toEqual({ type: 'advanced', trackId: 'b', previousTrackId: 'a' }));
      expect(c.audio.paused).toBe(false);
      expect(a.audio.src).toBe('');
      // The likely play stays buffered.
      expect(await engine.load({ url: 'https://media.test/x.wav?sig=2', track: track('x') })).toMatchObject({ trackId: 'x' });
    });

    it('reloads the track playing from its new URL rather than from a buffered copy (its URL may be what failed)', async () => {
      const { a, b, engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav?sig=1', track: track('a') });
      await engine.preload({ url: 'https://media.test/a.wav?sig=1', track: track('a') }); // repeat one
      expect(b.audio.src).toBe('https://media.test/a.wav?sig=1');

      await engine.load({ url: 'https://media.test/a.wav?sig=2', track: track('a'), startAt: 17 });

      expect(a.audio.src).toBe('https://media.test/a.wav?sig=2');
      expect(a.audio.currentTime).toBe(17);
      expect(b.audio.src).toBe('');
    });

    it('answers null to an advance to the track already playing (the popup no longer starts it itself)', async () => {
      const { engine } = setup();
      await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
      await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
      await engine.advance('b');
      expect(await engine.advance('b')).toBeNull();
    });
  });
});
