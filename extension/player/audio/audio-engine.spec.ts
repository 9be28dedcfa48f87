import { describe, expect, it, vi } from 'vitest';
import type { AudioEvent } from '@/player/messages';
import { createAudioEngine, type AudioElementLike } from './audio-engine';

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

function setup() {
  const a = fakeAudio();
  const b = fakeAudio();
  const events: AudioEvent[] = [];
  const engine = createAudioEngine([a.element, b.element], (event) => events.push(event));
  return { a, b, events, engine };
}

const track = (id: string) => ({ id, title: id, artist: 'A', album: 'B' });

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

  it('answers a repeated advance to the track it just started without starting it again', async () => {
    const { a, b, engine } = setup();
    await engine.load({ url: 'https://media.test/a.wav', track: track('a') });
    await engine.preload({ url: 'https://media.test/b.wav', track: track('b') });
    await engine.advance('b'); // from the popup
    expect(await engine.advance('b')).toMatchObject({ trackId: 'b', paused: false }); // from the background
    expect(b.audio.play).toHaveBeenCalledOnce();
    expect(a.audio.play).toHaveBeenCalledOnce();
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
});
