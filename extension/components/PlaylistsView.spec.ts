import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { DISPLAY_NAME_MAX_LENGTH } from '@@/shared/api';
import { errorBody, jsonResponse } from '@@/test/extension/factories';
import { fakeApi, makePlaylist, signedInEachTest } from '@@/test/extension/popup-fakes';
import { useLikesStore } from '@/stores/likes';
import { usePlaylistsStore } from '@/stores/playlists';
import { useViewStore } from '@/stores/view';
import PlaylistsView from './PlaylistsView.vue';
import PlaylistView from './PlaylistView.vue';

describe('PlaylistsView', () => {
  signedInEachTest();

  it('creates, opens, and deletes only after confirming', async () => {
    const existing = makePlaylist({ name: 'Old' });
    const created = makePlaylist({ name: 'Road trip' });
    const seen = fakeApi({
      'GET /playlists': { items: [existing] },
      'POST /playlists': () => jsonResponse(201, created),
      [`DELETE /playlists/${existing.id}`]: () => new Response(null, { status: 204 }),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });

    await wrapper.get('[data-testid="playlist-name"]').setValue('Road trip');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const items = () => wrapper.findAll('[data-testid="playlist-item"]');
    expect(items().map((i) => i.attributes('data-playlist-id'))).toEqual([created.id, existing.id]);

    await items()[0]!.get('.open').trigger('click');
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'playlist', id: created.id });

    await items()[1]!.get('[data-testid="playlist-delete"]').trigger('click');
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
    await wrapper.get('[data-testid="playlist-delete-confirm"]').trigger('click');
    await flushPromises();
    expect(items()).toHaveLength(1);
  });

  it('takes names only as long as the server keeps them, when creating and renaming', async () => {
    fakeApi({ 'GET /playlists': { items: [makePlaylist({ name: 'Old' })] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });

    expect(wrapper.get('[data-testid="playlist-name"]').attributes('maxlength')).toBe(String(DISPLAY_NAME_MAX_LENGTH));
    await wrapper.get('[data-testid="playlist-rename"]').trigger('click');
    expect(wrapper.get('[data-testid="playlist-rename-input"]').attributes('maxlength')).toBe(String(DISPLAY_NAME_MAX_LENGTH));
  });

  it('opens Liked songs from the top of the list', async () => {
    fakeApi({ 'GET /playlists': { items: [] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    useLikesStore().hydrate({ value: ['trk_1', 'trk_2'], fetchedAt: 1 });
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="liked-songs"]').text()).toContain('2 tracks');
    await wrapper.get('[data-testid="liked-songs"]').trigger('click');
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'liked' });
  });

  it('imports a playlist file named after it, says how it went, lists what was not found, and opens it', async () => {
    const made = makePlaylist({ name: 'Road trip', entryCount: 2 });
    const seen = fakeApi({
      'GET /playlists': { items: [] },
      'POST /playlists/import': () => jsonResponse(201, { playlist: made, matched: 2, unmatched: ['Nobody - Missing.mp3'] }),
      [`GET /playlists/${made.id}/entries`]: { items: [] },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });
    const text = '#EXTM3U\n#EXTINF:180,The Testers - Track 1\nTrack 1.mp3\n';

    const picker = wrapper.get('[data-testid="playlist-import-file"]');
    expect(picker.attributes('accept')).toBe('.m3u,.m3u8,.xspf');
    Object.defineProperty(picker.element, 'files', { value: [new File([text], 'Road trip.m3u8')], configurable: true });
    await picker.trigger('change');
    await flushPromises();

    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/playlists/import?name=Road%20trip');
    expect(post.headers['content-type']).toBe('audio/x-mpegurl');
    expect(await (post.body as Blob).text()).toBe(text);
    expect(useViewStore().stack.at(-1)).toMatchObject({ kind: 'playlist', id: made.id });
    expect(usePlaylistsStore().items[0]?.id).toBe(made.id);

    const detail = mount(PlaylistView, { props: { id: made.id }, global: { plugins: [pinia] } });
    await flushPromises();
    expect(detail.get('[data-testid="import-result"]').text()).toContain('Imported 2 tracks; 1 not found.');
    expect(detail.findAll('[data-testid="import-unmatched"] li').map((li) => li.text())).toEqual(['Nobody - Missing.mp3']);
  });

  it('refuses a file of another kind without sending it', async () => {
    const seen = fakeApi({ 'GET /playlists': { items: [] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });
    const picker = wrapper.get('[data-testid="playlist-import-file"]');
    Object.defineProperty(picker.element, 'files', { value: [new File(['x'], 'notes.txt')], configurable: true });
    await picker.trigger('change');
    await flushPromises();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    expect(wrapper.get('[role="alert"]').text()).toContain('Pick an M3U, M3U8 or XSPF playlist file.');
  });

  it('says a failed import in its own words: the list’s Try again reloads the list and sends no file', async () => {
    let listing = () => jsonResponse(404, errorBody('not_found', 'Not here yet'));
    const seen = fakeApi({
      'GET /playlists': () => listing(),
      'POST /playlists/import': () => jsonResponse(422, errorBody('invalid_input', 'That file lists no tracks.')),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="load-error"]').text()).toContain('Not here yet');

    const picker = wrapper.get('[data-testid="playlist-import-file"]');
    Object.defineProperty(picker.element, 'files', { value: [new File(['#EXTM3U\n'], 'Empty.m3u8')], configurable: true });
    await picker.trigger('change');
    await flushPromises();
    expect(wrapper.get('[data-testid="file-error"]').text()).toBe('That file lists no tracks.');
    expect(wrapper.get('[data-testid="load-error"]').text()).toContain('Not here yet');

    listing = () => jsonResponse(200, { items: [] });
    await wrapper.get('[data-testid="retry"]').trigger('click');
    await flushPromises();
    expect(seen.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    expect(wrapper.find('[data-testid="load-error"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="file-error"]').text()).toBe('That file lists no tracks.');
  });

  it('in Firefox, imports from a page in a tab: a file picker would close the popup', async () => {
    vi.stubEnv('BROWSER', 'firefox');
    fakeApi({ 'GET /playlists': { items: [] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlaylistsStore().refresh();
    const wrapper = mount(PlaylistsView, { global: { plugins: [pinia] } });
    const picked = vi.spyOn(HTMLInputElement.prototype, 'click');

    await wrapper.get('[data-testid="playlist-import"]').trigger('click');
    await flushPromises();
    expect(picked).not.toHaveBeenCalled();
    expect((await browser.tabs.query({})).flatMap((tab) => tab.url ?? [])).toEqual([browser.runtime.getURL('/playlist-files.html')]);
    vi.unstubAllEnvs();
  });
});
