import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeFeed, signedInEachTest } from '@@/test/extension/popup-fakes';
import { useHomeStore } from '@/stores/home';
import { onMessages, type MessageRequest } from '@/player/messages';
import { IDLE_PLAYER_STATE } from '@/player/player-state';
import { homeCacheItem } from '@/utils/popup-cache';
import HomeView from './HomeView.vue';

function mountHome() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(HomeView, { global: { plugins: [pinia] }, attachTo: document.body });
}

describe('HomeView', () => {
  signedInEachTest();

  it('paints the cached feed and plays a row with the whole feed queued', async () => {
    const feed = makeFeed(4);
    await homeCacheItem.setValue({ value: feed, fetchedAt: 1 });
    const played: MessageRequest<'player/play-tracks'>[] = [];
    const warmed: string[] = [];
    onMessages({
      'player/warm': ({ trackId }) => {
        warmed.push(trackId);
        return IDLE_PLAYER_STATE;
      },
      'player/play-tracks': (data) => {
        played.push(data);
        return { ...IDLE_PLAYER_STATE, status: 'playing', queue: data.tracks, index: data.index };
      },
    });
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const wrapper = mountHome();
    await useHomeStore().restoreCached();
    await flushPromises();

    const rows = wrapper.findAll('[data-testid="home-track"]');
    expect(rows.map((r) => r.attributes('data-track-id'))).toEqual(feed.tracks.map((t) => t.id));
    expect(fetch).not.toHaveBeenCalled();

    // The press warms the track up (its stream URL is looked up), the click plays it.
    await rows[2]!.get('[data-testid="track-play"]').trigger('pointerdown');
    await flushPromises();
    expect(warmed).toEqual([feed.tracks[2]!.id]);
    expect(played).toEqual([]);
    await rows[2]!.get('[data-testid="track-play"]').trigger('click');
    await flushPromises();
    expect(played[0]).toMatchObject({ index: 2 });
    expect(played[0]!.tracks.map((t) => t.id)).toEqual(feed.tracks.map((t) => t.id));

    await wrapper.get('[data-testid="home-play-all"]').trigger('click');
    await flushPromises();
    expect(played[1]).toMatchObject({ index: 0 });
    wrapper.unmount();
  });

  it('shows skeletons while loading, then an error with a retry that works', async () => {
    let up = false;
    fakeApi({ 'GET /home': () => (up ? undefined : Promise.reject(new TypeError('offline'))) });
    const wrapper = mountHome();
    const home = useHomeStore();
    const loading = home.refresh();
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="skeleton"]').exists()).toBe(true);
    await loading;
    await flushPromises();

    expect(wrapper.get('[role="alert"]').text()).toMatch(/Can't reach Alktunes/);
    up = true;
    fakeApi({ 'GET /home': makeFeed(2) });
    await wrapper.get('[data-testid="retry"]').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-testid="home-track"]')).toHaveLength(2);
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('filters by section and says when the feed is empty', async () => {
    const section = { id: 'popular' as const, title: 'Late night jazz', tracks: makeTracks(1) };
    fakeApi({ 'GET /home': makeFeed(3, { sections: [section] }) });
    const wrapper = mountHome();
    await useHomeStore().refresh();
    await flushPromises();
    await wrapper
      .findAll('.chip')
      .find((c) => c.text() === 'Late night jazz')!
      .trigger('click');
    expect(wrapper.findAll('[data-testid="home-track"]')).toHaveLength(1);

    fakeApi({ 'GET /home': makeFeed(0) });
    await useHomeStore().refresh();
    await flushPromises();
    expect(wrapper.text()).toContain('Nothing in your feed yet');
    wrapper.unmount();
  });
});
