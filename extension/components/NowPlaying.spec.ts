import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@@/test/extension/factories';
import { fakeApi, signIn } from '@@/test/extension/popup-fakes';
import { useLikesStore } from '@/stores/likes';
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

  it('has a heart for the track playing that shows whether it is liked and changes it', async () => {
    const queue = makeTracks(2);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 0 });
    await signIn();
    const seen = fakeApi({ [`DELETE /me/likes/${queue[0]!.id}`]: () => new Response(null, { status: 204 }) });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlayerViewStore().restore();
    useLikesStore().hydrate({ value: [queue[0]!.id], fetchedAt: 1 });
    const wrapper = mount(NowPlaying, { global: { plugins: [pinia] } });

    const heart = () => wrapper.get('[data-testid="track-like"]');
    expect(heart().attributes()).toMatchObject({ 'aria-pressed': 'true', 'aria-label': `Like ${queue[0]!.title}` });
    await heart().trigger('click');
    await flushPromises();
    expect(heart().attributes()).toMatchObject({ 'aria-pressed': 'false', 'aria-label': `Like ${queue[0]!.title}` });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /me/likes/${queue[0]!.id}`]);
    vi.unstubAllGlobals();
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
    expect(wrapper.find('[data-testid="track-like"]').exists()).toBe(false);
  });
});
