import { createPinia, getActivePinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { onMessages, PREWARM_INTERVAL_MS, PREWARM_PORT, type MessageType } from '@/player/messages';
import { IDLE_PLAYER_STATE, playerStateItem, type PlayerState } from '@/player/player-state';
import { useHomeStore } from './home';
import { useNoticeStore } from './notice';
import { usePlayerViewStore } from './player-view';

describe('player view store', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => {
    // Each test's store stops following and warming, so none of it runs into the next test.
    if (getActivePinia()) usePlayerViewStore().dispose();
    vi.useRealTimers();
  });

  it('"next" sends one command, shows the coming track loading at once and playing once the queue owner answers', async () => {
    const queue = makeTracks(3);
    const state: PlayerState = { ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 0, positionSec: 12 };
    await playerStateItem.setValue(state);
    let answer!: (value: PlayerState) => void;
    onMessages({ 'player/next': () => new Promise<PlayerState>((resolve) => (answer = resolve)) });
    setActivePinia(createPinia());
    const store = usePlayerViewStore();
    await store.restore();
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage');

    const next = store.next();

    expect([store.status, store.index, store.elapsedSec]).toEqual(['loading', 1, 0]);
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'));
    answer({ ...state, index: 1, positionSec: 0 });
    await next;
    expect([store.status, store.index]).toEqual(['playing', 1]);
    expect(send.mock.calls.map(([message]) => message)).toEqual([{ type: 'player/next', data: {} }]);
  });

  it('goes back to the stored state when a command that showed `loading` fails', async () => {
    const queue = makeTracks(2);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 0, positionSec: 40 });
    onMessages({
      'player/play': () => {
        throw Object.assign(new Error('The player is busy.'), { code: 'busy' });
      },
    });
    setActivePinia(createPinia());
    const store = usePlayerViewStore();
    await store.restore();

    const playing = store.play();
    expect([store.status, store.elapsedSec]).toEqual(['loading', 40]);
    await playing;
    expect(store.status).toBe('paused');
    expect(store.error).toBe('The player is busy.');
  });

  it('"previous" within a track restarts it without showing `loading`; near its start shows the track before loading', async () => {
    const queue = makeTracks(3);
    const state: PlayerState = { ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 1, positionSec: 10 };
    await playerStateItem.setValue(state);
    const shown: string[] = [];
    onMessages({ 'player/previous': () => (shown.push(`${store.status} ${store.index}`), state) });
    setActivePinia(createPinia());
    const store = usePlayerViewStore();
    await store.restore();

    await store.previous();
    store.state = { ...state, positionSec: 1 };
    await store.previous();

    expect(shown).toEqual(['playing 1', 'loading 0']);
  });

  it('gets the likely first plays ready over the prewarm port once painted, and stops when disposed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'requestAnimationFrame'] });
    const queue = makeTracks(2);
    const feed = makeTracks(3);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 1 });
    const posted: unknown[] = [];
    const port = { postMessage: vi.fn((m: unknown) => posted.push(m)), disconnect: vi.fn(), onDisconnect: { addListener: vi.fn() } };
    const connect = vi.fn(() => port);
    fakeBrowser.runtime.connect = connect as never;
    setActivePinia(createPinia());
    useHomeStore().hydrate({ value: { generatedAt: null, tracks: feed, sections: [] }, fetchedAt: 1 });
    const store = usePlayerViewStore();

    await store.restore();
    expect(connect).not.toHaveBeenCalled(); // not before the first frame
    await vi.advanceTimersByTimeAsync(50);
    expect(connect).toHaveBeenCalledWith({ name: PREWARM_PORT });
    expect(posted).toEqual([{ trackIds: [queue[1]!.id, feed[0]!.id, feed[1]!.id] }]);

    await vi.advanceTimersByTimeAsync(PREWARM_INTERVAL_MS);
    expect(posted).toHaveLength(2);
    expect(connect).toHaveBeenCalledOnce();

    store.dispose();
    expect(port.disconnect).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(PREWARM_INTERVAL_MS);
    expect(posted).toHaveLength(2);
  });

  it('asks at once when the home feed arrives after the first frame (a first-ever open has none cached), and when its first rows change', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'requestAnimationFrame'] });
    const feed = makeTracks(3);
    const posted: unknown[] = [];
    const port = { postMessage: vi.fn((m: unknown) => posted.push(m)), disconnect: vi.fn(), onDisconnect: { addListener: vi.fn() } };
    fakeBrowser.runtime.connect = vi.fn(() => port) as never;
    setActivePinia(createPinia());
    const home = useHomeStore();
    const store = usePlayerViewStore();

    await store.restore();
    await vi.advanceTimersByTimeAsync(50);
    expect(posted).toEqual([]); // nothing to play yet

    home.feed = { generatedAt: null, tracks: feed, sections: [] };
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toEqual([{ trackIds: [feed[0]!.id, feed[1]!.id] }]);

    home.feed = { generatedAt: null, tracks: [...feed], sections: [] }; // refreshed, same first rows
    await vi.advanceTimersByTimeAsync(0);
    home.feed = { generatedAt: null, tracks: [feed[2]!, ...feed], sections: [] };
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toEqual([{ trackIds: [feed[0]!.id, feed[1]!.id] }, { trackIds: [feed[2]!.id, feed[0]!.id] }]);
  });

  it('does not ask before the first frame, even when the home feed is there first', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'requestAnimationFrame'] });
    const connect = vi.fn();
    fakeBrowser.runtime.connect = connect as never;
    setActivePinia(createPinia());
    const home = useHomeStore();
    const store = usePlayerViewStore();

    await store.restore();
    home.feed = { generatedAt: null, tracks: makeTracks(2), sections: [] };
    await Promise.resolve();
    expect(connect).not.toHaveBeenCalled();
  });

  /** A store over `state` whose queue owner answers every command with `answer` (default: `state`). */
  async function recordingStore(state: PlayerState, answer: (type: MessageType, data: unknown) => PlayerState = () => state) {
    await playerStateItem.setValue(state);
    const sent: [MessageType, unknown][] = [];
    const record = (type: MessageType) => (data: unknown) => (sent.push([type, data]), answer(type, data));
    onMessages({
      'player/jump': record('player/jump'),
      'player/remove': record('player/remove'),
      'player/move': record('player/move'),
      'player/enqueue': record('player/enqueue'),
      'player/play-tracks': record('player/play-tracks'),
    });
    setActivePinia(createPinia());
    const store = usePlayerViewStore();
    await store.restore();
    return { store, sent };
  }

  it('playing a queued track (also from the upcoming list) shows it `loading` at once', async () => {
    const queue = makeTracks(4);
    const shown: string[] = [];
    const state: PlayerState = { ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 0, positionSec: 30 };
    const { store } = await recordingStore(state, (_type, data) => {
      shown.push(`${store.status} ${store.index} ${store.elapsedSec}`);
      return { ...state, status: 'playing', index: (data as { index: number }).index, positionSec: 0 };
    });

    await store.playAt(2);
    await store.playUpcoming(0);

    expect(shown).toEqual(['loading 2 0', 'loading 3 0']);
    expect([store.status, store.index]).toEqual(['playing', 3]);
  });

  it('counts the upcoming list from the track after the current one', async () => {
    const queue = makeTracks(4);
    const { store, sent } = await recordingStore({ ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 1 });

    expect(store.upcoming).toEqual(queue.slice(2));
    expect([store.hasPrevious, store.hasNext]).toEqual([true, true]);
    await store.playUpcoming(0);
    await store.removeUpcoming(1);
    await store.moveUpcoming(1, 0);

    expect(sent).toEqual([
      ['player/jump', { index: 2 }],
      ['player/remove', { index: 3 }],
      ['player/move', { from: 3, to: 2 }],
    ]);
  });

  it('"play next" and "add to queue" play the tracks when nothing is queued, and tell the listener', async () => {
    const [first, ...more] = makeTracks(3);
    const playing: PlayerState = { ...IDLE_PLAYER_STATE, status: 'playing', queue: [first!], index: 0 };
    const { store, sent } = await recordingStore({ ...IDLE_PLAYER_STATE }, () => playing);

    await store.playNext([first!]);
    expect(sent.at(-1)).toEqual(['player/play-tracks', { tracks: [first], index: 0 }]);
    expect(useNoticeStore().text).toBe(`“${first!.title}” plays next.`);

    await store.addToQueue(more);
    expect(sent.at(-1)).toEqual(['player/enqueue', { tracks: more, where: 'end' }]);
    expect(useNoticeStore().text).toBe('Added 2 tracks to the queue.');
  });

  it('moves the elapsed time on between position reports while playing, up to the end of the track', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const queue = makeTracks(1, { durationMs: 10_000 });
    const { store } = await recordingStore({ ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 0, positionSec: 4, durationSec: 10 });

    expect(store.elapsedSec).toBe(4);
    vi.advanceTimersByTime(2_000);
    expect(store.elapsedSec).toBe(6);
    vi.advanceTimersByTime(60_000);
    expect(store.elapsedSec).toBe(10);
  });
});
