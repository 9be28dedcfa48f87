import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NOTHING_LOADED } from '@/player/audio-output';
import { MessageError, onMessages, type LoadRequest, type MediaStatus } from '@/player/messages';
import { createOffscreenOutput, undelivered } from './offscreen-output';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Chrome's offscreen API over the fake browser: one document at most, which answers the
 * `offscreen/*` messages while it exists. `lookupDelays` slow down the next existence checks
 * (each answers what was true when it was asked, as `getContexts` does).
 */
function fakeOffscreen() {
  let stopServing: (() => void) | undefined;
  const loads: LoadRequest[] = [];
  const buffered: string[][] = [];
  const lookupDelays: number[] = [];
  const playing = (request: LoadRequest): MediaStatus => ({
    loaded: true,
    paused: false,
    currentTime: 0,
    duration: 30,
    trackId: request.track?.id,
  });
  const serve = () =>
    onMessages({
      'offscreen/load': (request) => (loads.push(request), playing(request)),
      'offscreen/buffer': ({ items }) => (buffered.push(items.map((item) => item.trackId)), { ...NOTHING_LOADED }),
      'offscreen/forget': () => (buffered.push([]), { ...NOTHING_LOADED }),
      'offscreen/status': () => ({ ...NOTHING_LOADED }),
    });
  const createDocument = vi.fn(async () => {
    await wait(5);
    if (stopServing) throw new Error('Only a single offscreen document may be created.');
    stopServing = serve();
  });
  const closeDocument = vi.fn(async () => {
    await wait(5);
    if (!stopServing) throw new Error('No current offscreen document.');
    stopServing();
    stopServing = undefined;
  });
  Object.assign(fakeBrowser, { offscreen: { createDocument, closeDocument, Reason: { AUDIO_PLAYBACK: 'AUDIO_PLAYBACK' } } });
  Object.assign(fakeBrowser.runtime, {
    ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
    getContexts: vi.fn(async () => {
      const found = stopServing ? [{ contextType: 'OFFSCREEN_DOCUMENT' }] : [];
      await wait(lookupDelays.shift() ?? 0);
      return found;
    }),
  });
  return {
    createDocument,
    closeDocument,
    loads,
    buffered,
    lookupDelays,
    isOpen: () => stopServing !== undefined,
    /** A document that another worker created. */
    openElsewhere: () => void (stopServing ??= serve()),
  };
}

const request = (id: string): LoadRequest => ({ url: `https://media.test/${id}`, track: { id, title: id, artist: 'a', album: 'b' } });

describe('offscreen output', () => {
  let chrome: ReturnType<typeof fakeOffscreen>;
  beforeEach(() => {
    fakeBrowser.reset();
    chrome = fakeOffscreen();
  });
  afterEach(() => vi.restoreAllMocks());

  it('tells a message that reached no offscreen document from one the document refused', () => {
    expect(undelivered(new MessageError('no_receiver', 'Nothing handled "offscreen/load"'))).toBe(true);
    expect(undelivered(new Error('Could not establish connection. Receiving end does not exist.'))).toBe(true);
    expect(undelivered(new Error('The message port closed before a response was received.'))).toBe(true);
    expect(undelivered(new MessageError('internal', 'Playback failed: NotSupportedError'))).toBe(false);
    expect(undelivered(new Error('Playback failed: NotAllowedError'))).toBe(false);
  });

  it('creates the document once when a prewarm and a play race, even if one existence check is slow', async () => {
    const output = createOffscreenOutput();
    chrome.lookupDelays.push(0, 20); // the play's check answers after the prewarm's document is there

    const [, media] = await Promise.all([output.prepare!(), output.load(request('a'))]);

    expect(chrome.createDocument).toHaveBeenCalledOnce();
    expect(media).toMatchObject({ loaded: true, trackId: 'a' });
  });

  it('takes a document created meanwhile by another worker as open', async () => {
    const output = createOffscreenOutput();
    chrome.lookupDelays.push(10);
    const prepared = output.prepare!();
    await vi.waitFor(() => expect(fakeBrowser.runtime.getContexts).toHaveBeenCalled());
    chrome.openElsewhere(); // after the check said there was none

    await expect(prepared).resolves.toBeUndefined();
    expect(chrome.createDocument).toHaveBeenCalledOnce();
    expect(await output.load(request('a'))).toMatchObject({ loaded: true });
  });

  it('buffers likely plays and forgets them only while the document is open, never opening it for that', async () => {
    const output = createOffscreenOutput();
    const items = [{ trackId: 'a', url: 'https://media.test/a' }];

    expect(await output.buffer!(items)).toEqual(NOTHING_LOADED);
    expect(chrome.createDocument).not.toHaveBeenCalled();

    await output.prepare!();
    await output.buffer!(items);
    await output.forget!();
    expect(chrome.buffered).toEqual([['a'], []]);
  });

  it('closes the document, and leaves it closed when there is none', async () => {
    const output = createOffscreenOutput();
    await output.close!();
    expect(chrome.closeDocument).not.toHaveBeenCalled();

    await output.prepare!();
    await output.close!();
    expect(chrome.isOpen()).toBe(false);
    expect(chrome.closeDocument).toHaveBeenCalledOnce();
  });

  it('a play that comes while the document is being closed opens it again afterwards and plays', async () => {
    const output = createOffscreenOutput();
    await output.prepare!();

    const closing = output.close!();
    const media = await output.load(request('a'));
    await closing;

    expect(media).toMatchObject({ loaded: true, trackId: 'a' });
    expect(chrome.loads).toHaveLength(1);
    expect(chrome.isOpen()).toBe(true);
    expect(chrome.createDocument).toHaveBeenCalledTimes(2);
  });

  it('does not close when `idle()` says no at the last moment (a play started meanwhile)', async () => {
    const output = createOffscreenOutput();
    await output.prepare!();
    let playing = false;
    chrome.lookupDelays.push(10);

    const closing = output.close!(() => !playing);
    playing = true; // e.g. a media key while the existence check is out
    await closing;

    expect(chrome.closeDocument).not.toHaveBeenCalled();
    expect(chrome.isOpen()).toBe(true);
  });
});
