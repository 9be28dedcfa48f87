import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { onMessages, type MessageType } from '@/player/messages';
import { IDLE_PLAYER_STATE, playerStateItem, type PlayerState } from '@/player/player-state';
import { useNoticeStore } from './notice';
import { usePlayerViewStore } from './player-view';

describe('player view store', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.useRealTimers());

  async function storeWith(state: PlayerState) {
    await playerStateItem.setValue(state);
    const sent: [MessageType, unknown][] = [];
    onMessages({
      'offscreen/advance': (data) => (sent.push(['offscreen/advance', data]), null),
      'player/next': () => (sent.push(['player/next', {}]), { ...state, index: state.index + 1 }),
    });
    setActivePinia(createPinia());
    const store = usePlayerViewStore();
    await store.restore();
    return { store, sent };
  }

  it('"next" asks the audio host for the upcoming track first, then the queue owner', async () => {
    const queue = makeTracks(3);
    const { store, sent } = await storeWith({ ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 0 });

    await store.next();

    expect(sent).toEqual([
      ['offscreen/advance', { trackId: queue[1]!.id }],
      ['player/next', {}],
    ]);
    expect(store.index).toBe(1);
  });

  it('"next" with nothing loaded, or at the end of the queue, only asks the queue owner', async () => {
    const queue = makeTracks(2);
    const idle = await storeWith({ ...IDLE_PLAYER_STATE, status: 'idle', queue, index: 0 });
    await idle.store.next();
    expect(idle.sent.map(([type]) => type)).toEqual(['player/next']);

    fakeBrowser.reset();
    const last = await storeWith({ ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 1 });
    await last.store.next();
    expect(last.sent.map(([type]) => type)).toEqual(['player/next']);
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
