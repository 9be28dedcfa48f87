import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeAlbum } from '@/test/extension/factories';
import { useLibraryStore, libraryCacheItem } from '@/stores/library';
import { onMessages, type MessageRequest } from '@/utils/messages';
import { IDLE_PLAYER_STATE } from '@/utils/player/player-state';
import LibraryView from './LibraryView.vue';

describe('LibraryView', () => {
  beforeEach(() => fakeBrowser.reset());

  it('paints the cached library and plays the picked track with the rest queued', async () => {
    const albums = [makeAlbum(2), makeAlbum(3)];
    await libraryCacheItem.setValue({ albums, fetchedAt: Date.now() });
    const received: MessageRequest<'player/play-tracks'>[] = [];
    onMessages({
      'player/play-tracks': (data) => {
        received.push(data);
        return { ...IDLE_PLAYER_STATE, status: 'playing', queue: data.tracks, index: data.index };
      },
    });
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);

    const pinia = createPinia();
    setActivePinia(pinia);
    await useLibraryStore().restoreCached();
    const wrapper = mount(LibraryView, { global: { plugins: [pinia] } });

    const rows = wrapper.findAll('[data-testid="home-track"]');
    expect(rows).toHaveLength(5);
    expect(rows[3]!.attributes('data-track-id')).toBe(albums[1]!.tracks[1]!.id);
    expect(fetch).not.toHaveBeenCalled();

    const play = rows[3]!.get('[data-testid="track-play"]');
    expect(play.attributes('aria-label')).toBe(`Play ${albums[1]!.tracks[1]!.title} by The Testers`);
    await play.trigger('click');
    await flushPromises();

    expect(received).toHaveLength(1);
    expect(received[0]!.index).toBe(3);
    expect(received[0]!.tracks.map((t) => t.id)).toEqual(albums.flatMap((a) => a.tracks.map((t) => t.id)));
    vi.unstubAllGlobals();
  });
});
