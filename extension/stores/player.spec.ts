import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { onMessages, type MessageType } from '@/player/messages';
import { IDLE_PLAYER_STATE, playerStateItem, type PlayerState } from '@/player/player-state';
import { usePlayerStore } from './player';

describe('player store', () => {
  beforeEach(() => fakeBrowser.reset());

  async function storeWith(state: PlayerState) {
    await playerStateItem.setValue(state);
    const sent: [MessageType, unknown][] = [];
    onMessages({
      'offscreen/advance': (data) => (sent.push(['offscreen/advance', data]), null),
      'player/next': () => (sent.push(['player/next', {}]), { ...state, index: state.index + 1 }),
    });
    setActivePinia(createPinia());
    const store = usePlayerStore();
    await store.restore();
    return { store, sent };
  }

  it('"next" asks the audio document for the upcoming track first, then the background', async () => {
    const queue = makeTracks(3);
    const { store, sent } = await storeWith({ ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 0 });

    await store.next();

    expect(sent).toEqual([['offscreen/advance', { trackId: queue[1]!.id }], ['player/next', {}]]);
    expect(store.index).toBe(1);
  });

  it('"next" with nothing loaded, or at the end of the queue, only asks the background', async () => {
    const queue = makeTracks(2);
    const idle = await storeWith({ ...IDLE_PLAYER_STATE, status: 'idle', queue, index: 0 });
    await idle.store.next();
    expect(idle.sent.map(([type]) => type)).toEqual(['player/next']);

    fakeBrowser.reset();
    const last = await storeWith({ ...IDLE_PLAYER_STATE, status: 'playing', queue, index: 1 });
    await last.store.next();
    expect(last.sent.map(([type]) => type)).toEqual(['player/next']);
  });
});
