import { describe, expect, it, vi } from 'vitest';
import type { AudioEvent } from '@/utils/messages';
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
    play: vi.fn(async () => {
      audio.paused = false;
      fire('playing');
    }),
    pause: vi.fn(() => {
      audio.paused = true;
      fire('pause');
    }),
    addEventListener: (type: string, listener: () => void) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  return { audio, fire, element: audio as unknown as AudioElementLike };
}

describe('audio engine', () => {
  it('plays a URL from the given position and reports its status', async () => {
    const { audio, element } = fakeAudio();
    const engine = createAudioEngine(element, () => {});

    const status = await engine.play('https://media.test/a.wav', 12);
    expect(audio.src).toBe('https://media.test/a.wav');
    expect(status).toEqual({ loaded: true, paused: false, currentTime: 12, duration: 30 });
  });

  it('reports what the element does on its own, not what its commands cause', async () => {
    const { audio, fire, element } = fakeAudio();
    const events: AudioEvent[] = [];
    const engine = createAudioEngine(element, (event) => events.push(event));

    await engine.play('https://media.test/a.wav');
    expect(events).toEqual([]);

    audio.pause(); // e.g. a media key
    audio.ended = true;
    fire('pause');
    fire('ended');
    expect(events).toEqual([{ type: 'paused' }, { type: 'ended' }]);
  });

  it('says nothing is loaded before the first play, so the player replays instead of resuming', async () => {
    const { element } = fakeAudio();
    const engine = createAudioEngine(element, () => {});
    expect(await engine.resume()).toMatchObject({ loaded: false });
  });

  it('turns a refused play into an error and forgets the media', async () => {
    const { audio, element } = fakeAudio();
    audio.play.mockRejectedValueOnce(new DOMException('not allowed', 'NotAllowedError'));
    const engine = createAudioEngine(element, () => {});

    await expect(engine.play('https://media.test/a.wav')).rejects.toThrow(/Playback failed/);
    expect((await engine.status()).loaded).toBe(false);
  });
});
