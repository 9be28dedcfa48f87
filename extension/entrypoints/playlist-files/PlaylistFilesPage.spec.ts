import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { errorBody, jsonResponse } from '@@/test/extension/factories';
import { fakeApi, makePlaylist, signedInEachTest } from '@@/test/extension/popup-fakes';
import { playlistsCacheItem } from '@/utils/popup-cache';
import type { PlaylistFilesTask } from '@/utils/playlist-files-page';
import PlaylistFilesPage from './PlaylistFilesPage.vue';

const mountPage = (task: PlaylistFilesTask) => mount(PlaylistFilesPage, { props: { task }, global: { plugins: [createPinia()] } });

/** Every file handed to the browser's downloads: its name and content. */
function captureDownloads(): { name: string; blob: Blob }[] {
  const saved: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.set(`blob:${blobs.size}`, blob as Blob);
    return `blob:${blobs.size - 1}`;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.getAttribute('href')!)! });
  });
  return saved;
}

describe('the playlist-files page', () => {
  signedInEachTest();

  it('imports the picked file, says how it went, and lists the playlist for the popup’s next open', async () => {
    const made = makePlaylist({ name: 'Road trip', entryCount: 1 });
    const seen = fakeApi({
      'POST /playlists/import': () => jsonResponse(201, { playlist: made, matched: 1, unmatched: ['Nobody - Missing.mp3'] }),
    });
    const page = mountPage({ kind: 'import' });
    const text = '#EXTM3U\nTrack 1.mp3\nMissing.mp3\n';

    const picker = page.get('[data-testid="playlist-import-file"]');
    expect(picker.attributes('accept')).toBe('.m3u,.m3u8,.xspf');
    Object.defineProperty(picker.element, 'files', { value: [new File([text], 'Road trip.m3u8')], configurable: true });
    await picker.trigger('change');
    await flushPromises();

    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/playlists/import?name=Road%20trip');
    expect(await (post.body as Blob).text()).toBe(text);
    expect(page.get('[data-testid="import-made"]').text()).toContain('Made the playlist Road trip.');
    expect(page.get('[data-testid="import-result"]').text()).toContain('Imported 1 track; 1 not found.');
    expect(page.findAll('[data-testid="import-unmatched"] li').map((li) => li.text())).toEqual(['Nobody - Missing.mp3']);
    expect((await playlistsCacheItem.getValue())?.value.map((p) => p.id)).toEqual([made.id]);
  });

  it('says why an import failed', async () => {
    fakeApi({ 'POST /playlists/import': () => jsonResponse(422, errorBody('invalid_input', 'That file lists no tracks.')) });
    const page = mountPage({ kind: 'import' });
    const picker = page.get('[data-testid="playlist-import-file"]');
    Object.defineProperty(picker.element, 'files', { value: [new File(['#EXTM3U\n'], 'Empty.m3u')], configurable: true });
    await picker.trigger('change');
    await flushPromises();
    expect(page.get('[data-testid="file-error"]').text()).toBe('That file lists no tracks.');
    expect(page.find('[data-testid="import-result"]').exists()).toBe(false);
  });

  it('exports the playlist it was opened for, in the format picked, under its name', async () => {
    const file = '<?xml version="1.0" encoding="UTF-8"?><playlist version="1" xmlns="http://xspf.org/ns/0/"/>';
    const seen = fakeApi({
      'GET /playlists/pl_1/export': () => new Response(file, { headers: { 'content-type': 'application/xspf+xml' } }),
    });
    const saved = captureDownloads();
    const page = mountPage({ kind: 'export', playlistId: 'pl_1', name: 'Road trip' });
    expect(page.get('h1').text()).toBe('Export Road trip');

    await page.get('[data-testid="playlist-export-xspf"]').trigger('click');
    await flushPromises();
    expect(seen.map((r) => r.path)).toEqual(['/playlists/pl_1/export?format=xspf']);
    expect(saved.map((s) => s.name)).toEqual(['Road trip.xspf']);
    expect(await saved[0]!.blob.text()).toBe(file);
    expect(page.get('[data-testid="export-saved"]').text()).toBe('Sent Road trip.xspf to your downloads.');
    vi.restoreAllMocks();
  });

  it('says why an export failed, and saves nothing', async () => {
    fakeApi({ 'GET /playlists/pl_1/export': () => jsonResponse(404, errorBody('not_found', 'Playlist not found')) });
    const saved = captureDownloads();
    const page = mountPage({ kind: 'export', playlistId: 'pl_1', name: 'Road trip' });
    await page.get('[data-testid="playlist-export-m3u8"]').trigger('click');
    await flushPromises();
    expect(page.get('[data-testid="file-error"]').text()).toBe('Playlist not found');
    expect(saved).toEqual([]);
    expect(page.find('[data-testid="export-saved"]').exists()).toBe(false);
    vi.restoreAllMocks();
  });
});
