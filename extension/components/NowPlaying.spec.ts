import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { usePlayerViewStore } from '@/stores/player-view';
import { onMessages, type MessageType } from '@/player/messages';
import { IDLE_PLAYER_STATE, playerStateItem, type PlayerState } from '@/player/player-state';
import NowPlaying from './NowPlaying.vue';

describe('NowPlaying', () => {
  beforeEach(() => fakeBrowser.reset());

  it('shows the stored track, its time, and sends transport controls to the background', async () => {
    const queue = makeTracks(3, { durationMs: 200_000 });
    const paused: PlayerState = { ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 1, positionSec: 65 };
    await playerStateItem.setValue(paused);
    const sent: MessageType[] = [];
    onMessages({
      'player/next': () => (sent.push('player/next'), { ...paused, index: 2 }),
      'player/seek': ({ positionSec }) => (sent.push('player/seek'), { ...paused, positionSec }),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlayerViewStore().restore();
    const wrapper = mount(NowPlaying, { global: { plugins: [pinia] } });

    expect(wrapper.get('[data-testid="player-title"]').text()).toBe(queue[1]!.title);
    expect(wrapper.get('[data-testid="player-time"]').text()).toBe('1:05 / 3:20');
    expect(wrapper.get('[data-testid="player-toggle"]').attributes()).toMatchObject({ 'data-state': 'paused', 'aria-label': 'Play' });
    for (const control of wrapper.findAll('button')) expect(control.attributes('aria-label')).toBeTruthy();

    await wrapper.get('[data-testid="player-next"]').trigger('click');
    await flushPromises();
    expect(sent).toEqual(['player/next']);
    expect(wrapper.get('[data-testid="player-title"]').text()).toBe(queue[2]!.title);
  });

  it('is idle and disabled with nothing queued', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlayerViewStore().restore();
    const wrapper = mount(NowPlaying, { global: { plugins: [pinia] } });
    const toggle = wrapper.get('[data-testid="player-toggle"]');
    expect(toggle.attributes('data-state')).toBe('idle');
    expect(toggle.attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="player-time"]').text()).toBe('0:00 / 0:00');
  });
});
