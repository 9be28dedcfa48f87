import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { makeTracks } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest } from '@@/test/extension/popup-fakes';
import { onMessages, type MessageRequest } from '@/player/messages';
import { IDLE_PLAYER_STATE } from '@/player/player-state';
import { useLikesStore } from '@/stores/likes';
import LikedView from './LikedView.vue';

describe('LikedView', () => {
  signedInEachTest();

  it('lists the liked songs newest first, plays them like a playlist, and drops a row once unliked', async () => {
    const tracks = makeTracks(3);
    fakeApi({
      'GET /me/likes': { items: tracks.map((track, n) => ({ trackId: track.id, track, likedAt: `2025-01-0${3 - n}T00:00:00.000Z` })) },
      [`DELETE /me/likes/${tracks[1]!.id}`]: () => new Response(null, { status: 204 }),
    });
    const played: MessageRequest<'player/play-tracks'>[] = [];
    onMessages({
      'player/play-tracks': (data) => {
        played.push(data);
        return { ...IDLE_PLAYER_STATE, status: 'playing', queue: data.tracks, index: data.index };
      },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    useLikesStore().hydrate({ value: tracks.map((t) => t.id), fetchedAt: 1 });
    const wrapper = mount(LikedView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();

    const rows = () => wrapper.findAll('[data-testid="liked-track"]');
    expect(rows().map((r) => r.attributes('data-track-id'))).toEqual(tracks.map((t) => t.id));
    expect(rows().every((r) => r.get('[data-testid="track-like"]').attributes('aria-pressed') === 'true')).toBe(true);
    expect(wrapper.text()).toContain('3 tracks');

    await wrapper.get('[data-testid="liked-play"]').trigger('click');
    await rows()[2]!.get('[data-testid="track-play"]').trigger('click');
    await flushPromises();
    expect(played.map((p) => [p.tracks.map((t) => t.id), p.index])).toEqual([
      [tracks.map((t) => t.id), 0],
      [tracks.map((t) => t.id), 2],
    ]);

    await rows()[1]!.get('[data-testid="track-like"]').trigger('click');
    expect(rows().map((r) => r.attributes('data-track-id'))).toEqual([tracks[0]!.id, tracks[2]!.id]);
    await flushPromises();
    expect(useLikesStore().isLiked(tracks[1]!.id)).toBe(false);
    expect(wrapper.text()).toContain('2 tracks');
    wrapper.unmount();
  });

  it('says when nothing is liked yet', async () => {
    fakeApi({ 'GET /me/likes': { items: [] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(LikedView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.text()).toContain('No liked songs yet');
  });
});
