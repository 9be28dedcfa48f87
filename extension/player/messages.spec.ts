import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MessageError, onMessages, sendMessage } from './messages';

const status = { loaded: true, paused: false, currentTime: 1.5, duration: 30 };

describe('message contract', () => {
  beforeEach(() => fakeBrowser.reset());

  it('delivers a typed request to its handler and returns the typed response', async () => {
    const received: unknown[] = [];
    onMessages({
      'offscreen/load': (data) => {
        received.push(data);
        return status;
      },
    });

    await expect(sendMessage('offscreen/load', { url: 'https://media.test/a.mp3', startAt: 4 })).resolves.toEqual(status);
    expect(received).toEqual([{ url: 'https://media.test/a.mp3', startAt: 4 }]);
  });

  it('lets the owning context answer when several contexts listen', async () => {
    onMessages({ 'player/state': () => Promise.reject(new Error('should not be asked')) as never });
    onMessages({ 'offscreen/status': async () => status });
    // The first listener owns only `player/state`, so it must stay out of `offscreen/status`.
    await expect(sendMessage('offscreen/status', {})).resolves.toEqual(status);
  });

  it('turns a handler failure into a MessageError with its code', async () => {
    onMessages(
      {
        'offscreen/pause': () => {
          throw Object.assign(new Error('no media'), { code: 'no_media' });
        },
      },
      { error: () => {} },
    );

    const error = await sendMessage('offscreen/pause', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageError);
    expect(error).toMatchObject({ code: 'no_media', message: 'no media' });
  });

  it('stops delivering after unsubscribing', async () => {
    const off = onMessages({ 'offscreen/status': () => status });
    off();
    await expect(sendMessage('offscreen/status', {})).rejects.toThrow();
  });
});
