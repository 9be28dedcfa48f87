import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { errorBody, jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, signedInEachTest } from '@@/test/extension/popup-fakes';
import PlaylistView from './PlaylistView.vue';

describe('PlaylistView', () => {
  signedInEachTest();

  it('lists entries, moves one with Alt+↓ and removes one with its button', async () => {
    const entries = makeEntries(makeTracks(3));
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      [`PATCH /playlists/pl_1/entries/${entries[0]!.id}`]: entries[0],
      [`DELETE /playlists/pl_1/entries/${entries[2]!.id}`]: () => new Response(null, { status: 204 }),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(PlaylistView, {
      props: { id: 'pl_1', title: 'Road trip' },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    await flushPromises();

    const ids = () => wrapper.findAll('[data-testid="playlist-entry"]').map((r) => r.attributes('data-track-id'));
    expect(ids()).toEqual(entries.map((e) => e.trackId));
    expect(wrapper.text()).toContain('3 tracks');

    await wrapper.get('[data-index="0"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    await flushPromises();
    expect(ids()).toEqual([entries[1], entries[0], entries[2]].map((e) => e!.trackId));
    expect(seen.find((r) => r.method === 'PATCH')!.body).toEqual({ before: entries[2]!.id });

    await wrapper.findAll('[data-testid="entry-remove"]')[2]!.trigger('click');
    await flushPromises();
    expect(ids()).toHaveLength(2);
    expect(wrapper.text()).toContain('2 tracks');
    wrapper.unmount();
  });

  it('says when the playlist is empty', async () => {
    fakeApi({ 'GET /playlists/pl_2/entries': { items: [] } });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(PlaylistView, { props: { id: 'pl_2' }, global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.text()).toContain('This playlist is empty');
  });

  it('exports the playlist as the format picked, saved under its name', async () => {
    const entries = makeEntries(makeTracks(1));
    const file = '#EXTM3U\n#EXTINF:180,The Testers - Track\nhttps://example.test/t.mp3\n';
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      'GET /playlists/pl_1/export': () => new Response(file, { headers: { 'content-type': 'audio/x-mpegurl' } }),
    });
    const saved: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.set(`blob:${blobs.size}`, blob as Blob);
      return `blob:${blobs.size - 1}`;
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blobs.get(this.getAttribute('href')!)! });
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(PlaylistView, { props: { id: 'pl_1', title: 'Road trip: live/best' }, global: { plugins: [pinia] } });
    await flushPromises();

    const exportButton = wrapper.get('[data-testid="playlist-export"]');
    // It shows a group of buttons, not a menu: expanded, with no popup role to announce.
    expect(exportButton.attributes('aria-haspopup')).toBeUndefined();
    await exportButton.trigger('click');
    expect(exportButton.attributes('aria-expanded')).toBe('true');
    await wrapper.get('[data-testid="playlist-export-m3u8"]').trigger('click');
    await flushPromises();
    expect(seen.find((r) => r.path.includes('/export'))?.path).toBe('/playlists/pl_1/export?format=m3u8');
    expect(saved.map((s) => s.name)).toEqual(['Road trip_ live_best.m3u8']);
    expect(await saved[0]!.blob.text()).toBe(file);
    vi.restoreAllMocks();
  });

  it('says a failed export in its own words, leaving the playlist’s error and its Try again as they were', async () => {
    const entries = makeEntries(makeTracks(2));
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      [`PATCH /playlists/pl_1/entries/${entries[0]!.id}`]: () => jsonResponse(404, errorBody('not_found', 'That entry is gone.')),
      'GET /playlists/pl_1/export': () => jsonResponse(404, errorBody('not_found', 'Playlist not found')),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(PlaylistView, { props: { id: 'pl_1', title: 'Road trip' }, global: { plugins: [pinia] } });
    await flushPromises();
    await wrapper.get('[data-index="0"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    await flushPromises();
    expect(wrapper.get('[data-testid="load-error"]').text()).toContain('That entry is gone.');

    await wrapper.get('[data-testid="playlist-export"]').trigger('click');
    await wrapper.get('[data-testid="playlist-export-xspf"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="file-error"]').text()).toBe('Playlist not found');
    expect(wrapper.find('[data-testid="file-error"] [data-testid="retry"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="load-error"]').text()).toContain('That entry is gone.');

    const loads = () => seen.filter((r) => r.path.startsWith('/playlists/pl_1/entries')).length;
    const before = loads();
    await wrapper.get('[data-testid="retry"]').trigger('click');
    await flushPromises();
    expect(loads()).toBe(before + 1);
    expect(seen.filter((r) => r.path.includes('/export'))).toHaveLength(1);
  });

  it('in Firefox, exports from a page in a tab: a save dialog would close the popup', async () => {
    vi.stubEnv('BROWSER', 'firefox');
    const seen = fakeApi({ 'GET /playlists/pl_1/entries': { items: makeEntries(makeTracks(1)) } });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(PlaylistView, { props: { id: 'pl_1', title: 'Road trip' }, global: { plugins: [pinia] } });
    await flushPromises();

    await wrapper.get('[data-testid="playlist-export"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="playlist-export-m3u8"]').exists()).toBe(false);
    expect(seen.some((r) => r.path.includes('/export'))).toBe(false);
    expect((await browser.tabs.query({})).flatMap((tab) => tab.url ?? [])).toEqual([
      browser.runtime.getURL('/playlist-files.html?playlist=pl_1&name=Road+trip'),
    ]);
    vi.unstubAllEnvs();
  });
});
