import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import type { HomeSection } from '@@/shared/api';
import { errorBody, jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeFeed, signedInEachTest } from '@@/test/extension/popup-fakes';
import { useHomeStore } from '@/stores/home';
import { useNoticeStore } from '@/stores/notice';
import { onMessages, type MessageRequest } from '@/player/messages';
import { IDLE_PLAYER_STATE } from '@/player/player-state';
import { homeCacheItem, likedIdsCacheItem } from '@/utils/popup-cache';
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

  it('shows recently played as covers, then each section under its title, each with its own Play all', async () => {
    const [forYou, recent, most, fresh, popular] = [makeTracks(2), makeTracks(2), makeTracks(1), makeTracks(1), makeTracks(1)];
    const sections = [
      { id: 'for-you' as const, title: 'For you', tracks: forYou },
      { id: 'recently-played' as const, title: 'Recently played', tracks: recent },
      { id: 'most-played' as const, title: 'Most played', tracks: most },
      { id: 'new' as const, title: 'New in the library', tracks: fresh },
      { id: 'popular' as const, title: 'Popular this week', tracks: popular },
    ];
    fakeApi({ 'GET /home': makeFeed(0, { tracks: forYou, sections }) });
    const played: MessageRequest<'player/play-tracks'>[] = [];
    onMessages({
      'player/play-tracks': (data) => {
        played.push(data);
        return { ...IDLE_PLAYER_STATE, status: 'playing', queue: data.tracks, index: data.index };
      },
    });
    const wrapper = mountHome();
    await useHomeStore().refresh();
    // The first frame holds the rows in view; the rest follow once it is painted.
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="home-section"]')).toHaveLength(5));

    const titles = wrapper.findAll('[data-testid="home-section"]');
    expect(titles.map((t) => t.attributes('data-section-id'))).toEqual(['recently-played', 'for-you', 'most-played', 'new', 'popular']);
    expect(titles.map((t) => t.get('h3').text())).toEqual([
      'Recently played',
      'For you',
      'Most played',
      'New in the library',
      'Popular this week',
    ]);
    // Recently played is a strip of covers, not rows; the other sections' tracks are rows.
    expect(wrapper.findAll('[data-testid="home-recent"]').map((c) => c.attributes('data-track-id'))).toEqual(recent.map((t) => t.id));
    expect(wrapper.get('[role="group"][aria-label="Recently played"]').findAll('[data-testid="home-recent"]')).toHaveLength(recent.length);
    expect(wrapper.findAll('[data-testid="home-track"]').map((r) => r.attributes('data-track-id'))).toEqual(
      [...forYou, ...most, ...fresh, ...popular].map((t) => t.id),
    );

    await wrapper.findAll('[data-testid="home-recent"]')[1]!.trigger('click');
    await titles[3]!.get('[data-testid="home-play-all"]').trigger('click');
    await wrapper.findAll('[data-testid="home-track"]')[1]!.get('[data-testid="track-play"]').trigger('click');
    await flushPromises();
    expect(played.map((p) => [p.tracks.map((t) => t.id), p.index])).toEqual([
      [recent.map((t) => t.id), 1],
      [fresh.map((t) => t.id), 0],
      [forYou.map((t) => t.id), 1],
    ]);
    wrapper.unmount();
  });

  it('shows a feed from before sections had ids as For you and its titled picks, and says when it is empty', async () => {
    const picks = { title: 'Late night jazz', tracks: makeTracks(1) } as unknown as HomeSection;
    fakeApi({ 'GET /home': makeFeed(3, { sections: [picks] }) });
    const wrapper = mountHome();
    await useHomeStore().refresh();
    await flushPromises();
    expect(wrapper.findAll('[data-testid="home-section"] h3').map((h) => h.text())).toEqual(['For you', 'Late night jazz']);
    expect(wrapper.findAll('[data-testid="home-track"]')).toHaveLength(4);

    fakeApi({ 'GET /home': makeFeed(0) });
    await useHomeStore().refresh();
    await flushPromises();
    expect(wrapper.text()).toContain('Nothing in your feed yet');
    wrapper.unmount();
  });

  it('likes a row at once, then on the server, and puts the heart back with a notice when that fails', async () => {
    const feed = makeFeed(2);
    let refuse = false;
    const seen = fakeApi({
      'GET /home': feed,
      [`PUT /me/likes/${feed.tracks[0]!.id}`]: () =>
        refuse ? jsonResponse(404, errorBody('not_found', 'That track is no longer in the catalog.')) : new Response(null, { status: 204 }),
    });
    const wrapper = mountHome();
    await useHomeStore().refresh();
    await flushPromises();
    const heart = () => wrapper.findAll('[data-testid="home-track"]')[0]!.get('[data-testid="track-like"]');
    expect(heart().attributes()).toMatchObject({ 'aria-pressed': 'false', 'aria-label': `Like ${feed.tracks[0]!.title}` });

    await heart().trigger('click');
    expect(heart().attributes()).toMatchObject({ 'aria-pressed': 'true', 'aria-label': `Like ${feed.tracks[0]!.title}` });
    await flushPromises();
    expect(seen.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/me/likes/${feed.tracks[0]!.id}`]);
    expect((await likedIdsCacheItem.getValue())?.value).toEqual([feed.tracks[0]!.id]);

    // Unliked, then liked again while the server refuses: the heart goes back to empty, and says why.
    seen.length = 0;
    fakeApi({
      [`DELETE /me/likes/${feed.tracks[0]!.id}`]: () => new Response(null, { status: 204 }),
      [`PUT /me/likes/${feed.tracks[0]!.id}`]: () => jsonResponse(404, errorBody('not_found', 'That track is no longer in the catalog.')),
    });
    refuse = true;
    await heart().trigger('click');
    await flushPromises();
    await heart().trigger('click');
    expect(heart().attributes('aria-pressed')).toBe('true');
    await flushPromises();
    expect(heart().attributes('aria-pressed')).toBe('false');
    expect(useNoticeStore().text).toBe(`Couldn't like ${feed.tracks[0]!.title}. That track is no longer in the catalog.`);
    wrapper.unmount();
  });
});
