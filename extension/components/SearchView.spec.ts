import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest, type SeenRequest } from '@@/test/extension/popup-fakes';
import { SEARCH_DEBOUNCE_MS } from '@/stores/search';
import { useViewStore } from '@/stores/view';
import { onMessages, type MessageRequest } from '@/player/messages';
import { IDLE_PLAYER_STATE } from '@/player/player-state';
import SearchView from './SearchView.vue';

const blue = { id: 'alb_9', name: 'Blue', artist: 'Joni', artistId: 'art_9', trackCount: 10 };
const joni = { id: 'art_9', name: 'Joni', albumCount: 1, trackCount: 10 };

/** Types `text` and waits for the debounced search to answer. */
async function typeQuery(wrapper: ReturnType<typeof mountSearch>, text: string): Promise<void> {
  await wrapper.get('[data-testid="search-input"]').setValue(text);
  await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 20));
  await flushPromises();
}

/** Answers the player's play commands, keeping what each asked for. */
function recordPlays(): MessageRequest<'player/play-tracks'>[] {
  const played: MessageRequest<'player/play-tracks'>[] = [];
  onMessages({
    'player/play-tracks': (data) => {
      played.push(data);
      return { ...IDLE_PLAYER_STATE, status: 'playing', queue: data.tracks, index: data.index };
    },
  });
  return played;
}

function mountSearch() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(SearchView, { global: { plugins: [pinia] }, attachTo: document.body });
}

describe('SearchView', () => {
  signedInEachTest();

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
    expect(wrapper.find('[data-testid="top-result"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="did-you-mean"]').exists()).toBe(false);

    await wrapper.get('[data-testid="search-album"]').trigger('click');
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'album', id: 'alb_9' });
    wrapper.unmount();
  });

  it('shows the top hit first and not again in its group', async () => {
    fakeApi({
      'GET /search': { tracks: makeTracks(2, { artist: 'Joni' }), albums: [blue], artists: [joni], top: { kind: 'artist', id: 'art_9' } },
    });
    const wrapper = mountSearch();
    await typeQuery(wrapper, 'joni');

    expect(wrapper.findAll('h3').map((h) => h.text())).toEqual(['Top result', 'Tracks', 'Albums']);
    const top = wrapper.get('[data-testid="top-result"]');
    expect(top.get('[role="list"]').attributes('aria-label')).toBe('Top result: artist');
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('2 tracks, 1 album and 1 artist found.');
    expect(top.findAll('[data-testid="search-artist"]').map((row) => row.attributes('data-id'))).toEqual(['art_9']);
    expect(wrapper.findAll('[data-testid="search-artist"]')).toHaveLength(1);

    await top.get('[data-testid="search-artist"]').trigger('click');
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'artist', id: 'art_9', title: 'Joni' });
    wrapper.unmount();
  });

  it('shows a top track above the full track list, and playing it queues the other results', async () => {
    const tracks = makeTracks(3);
    fakeApi({ 'GET /search': { tracks, albums: [], artists: [], top: { kind: 'track', id: tracks[1]!.id } } });
    const played = recordPlays();
    const wrapper = mountSearch();
    await typeQuery(wrapper, 'track');

    const rowIds = () => wrapper.findAll('[data-testid="search-track"]').map((r) => r.attributes('data-track-id'));
    const top = wrapper.get('[data-testid="top-result"]');
    expect(top.get('[role="list"]').attributes('aria-label')).toBe('Top result: track');
    expect(top.get('[data-testid="search-track"]').attributes('data-track-id')).toBe(tracks[1]!.id);
    expect(rowIds()).toEqual([tracks[1]!.id, ...tracks.map((t) => t.id)]);

    await top.get('[data-testid="track-play"]').trigger('click');
    await flushPromises();
    expect(played[0]).toMatchObject({ index: 0 });
    expect(played[0]!.tracks.map((t) => t.id)).toEqual([tracks[1]!.id, tracks[0]!.id, tracks[2]!.id]);

    await wrapper
      .findAll('.chip')
      .find((chip) => chip.text() === 'Tracks')!
      .trigger('click');
    await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 20));
    await flushPromises();
    expect(wrapper.find('[data-testid="top-result"]').exists()).toBe(false);
    expect(rowIds()).toEqual(tracks.map((t) => t.id));
    wrapper.unmount();
  });

  it('offers "did you mean" and searches the suggestion at once when it is picked', async () => {
    const small = makeTracks(1, { title: 'Small Hours' });
    const seen = fakeApi({
      'GET /search': ({ path }: SeenRequest) =>
        jsonResponse(
          200,
          path.includes('q=smlal')
            ? { tracks: small, didYouMean: 'Small Hours' }
            : { tracks: small, top: { kind: 'track', id: small[0]!.id } },
        ),
    });
    const wrapper = mountSearch();
    await typeQuery(wrapper, 'smlal hours');

    const suggestion = wrapper.get('[data-testid="did-you-mean"]');
    expect(suggestion.element.tagName).toBe('BUTTON');
    expect(suggestion.element.closest('p')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('Did you mean Small Hours?');
    expect(suggestion.attributes('aria-label')).toBe('Did you mean Small Hours? Search it');
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('1 track found. Did you mean Small Hours?');

    (suggestion.element as HTMLButtonElement).focus();
    await suggestion.trigger('click');
    await flushPromises();
    expect(seen.map((r) => r.path)).toEqual(['/search?q=smlal+hours&field=all&limit=20', '/search?q=Small+Hours&field=all&limit=20']);
    const box = wrapper.get('[data-testid="search-input"]').element as HTMLInputElement;
    expect(box.value).toBe('Small Hours');
    expect(document.activeElement).toBe(box);
    expect(wrapper.find('[data-testid="did-you-mean"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="top-result"]').text()).toContain('Small Hours');
    expect(wrapper.findAll('h3').map((h) => h.text())).toEqual(['Top result']);
    wrapper.unmount();
  });

  it('hides a suggestion while a newer query loads and when it fails', async () => {
    const small = makeTracks(1, { title: 'Small Hours' });
    let answerNewer!: (response: Response) => void;
    fakeApi({
      'GET /search': ({ path }: SeenRequest) =>
        path.includes('q=smlal')
          ? jsonResponse(200, { tracks: small, didYouMean: 'Small Hours' })
          : new Promise<Response>((resolve) => (answerNewer = resolve)),
    });
    const wrapper = mountSearch();
    await typeQuery(wrapper, 'smlal hours');
    expect(wrapper.find('[data-testid="did-you-mean"]').exists()).toBe(true);

    await typeQuery(wrapper, 'harbour');
    expect(wrapper.find('[data-testid="did-you-mean"]').exists()).toBe(false);
    answerNewer(jsonResponse(500, { error: { code: 'internal', message: 'Something went wrong' } }));
    await flushPromises();
    expect(wrapper.find('[role="alert"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="did-you-mean"]').exists()).toBe(false);
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('');
    wrapper.unmount();
  });

  it('announces nothing found', async () => {
    fakeApi({ 'GET /search': { tracks: [], albums: [], artists: [] } });
    const wrapper = mountSearch();
    await typeQuery(wrapper, 'zzzz');
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('Nothing found.');
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
