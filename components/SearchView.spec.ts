import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@/test/extension/factories';
import { fakeApi, signIn } from '@/test/extension/popup-fakes';
import { SEARCH_DEBOUNCE_MS } from '@/stores/search';
import { useViewStore } from '@/stores/view';
import SearchView from './SearchView.vue';

function mountSearch() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(SearchView, { global: { plugins: [pinia] }, attachTo: document.body });
}

describe('SearchView', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await signIn();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('groups results as you type and opens an album', async () => {
    const tracks = makeTracks(2, { title: 'A very long track title that keeps going and going past the popup edge' });
    fakeApi({
      'GET /search': {
        tracks,
        albums: [{ id: 'alb_9', name: 'Blue', artist: 'Joni', artistId: 'art_9', trackCount: 10 }],
        artists: [{ id: 'art_9', name: 'Joni', albumCount: 1, trackCount: 10 }],
      },
    });
    const wrapper = mountSearch();
    await wrapper.get('[data-testid="search-input"]').setValue('blue');
    await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 20));
    await flushPromises();

    const rows = wrapper.findAll('[data-testid="search-track"]');
    expect(rows.map((r) => r.attributes('data-track-id'))).toEqual(tracks.map((t) => t.id));
    expect(rows[0]!.find('[data-testid="track-add-to-playlist"]').attributes('aria-label')).toContain('to a playlist');
    expect(wrapper.findAll('h3').map((h) => h.text())).toEqual(['Tracks', 'Albums', 'Artists']);

    await wrapper.get('[data-testid="search-album"]').trigger('click');
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'album', id: 'alb_9' });
    wrapper.unmount();
  });

  it('says search is not available yet instead of failing', async () => {
    fakeApi({});
    const wrapper = mountSearch();
    await wrapper.get('[data-testid="search-input"]').setValue('blue');
    await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 20));
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain("Search isn't available");
    wrapper.unmount();
  });
});
