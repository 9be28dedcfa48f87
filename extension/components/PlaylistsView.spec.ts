import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_MAX_LENGTH } from '@@/shared/api';
import { jsonResponse } from '@@/test/extension/factories';
import { fakeApi, makePlaylist, signedInEachTest } from '@@/test/extension/popup-fakes';
import { usePlaylistsStore } from '@/stores/playlists';
import { useViewStore } from '@/stores/view';
import PlaylistsView from './PlaylistsView.vue';

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
});
