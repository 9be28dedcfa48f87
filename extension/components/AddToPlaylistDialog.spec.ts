import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, makePlaylist, signedInEachTest, type SeenRequest } from '@@/test/extension/popup-fakes';
import { useNoticeStore } from '@/stores/notice';
import { usePlaylistsStore } from '@/stores/playlists';
import { MAX_ATTEMPTS } from '@/api/write-retry';
import AddToPlaylistDialog from './AddToPlaylistDialog.vue';

describe('AddToPlaylistDialog', () => {
  signedInEachTest();

  it('shows the add pending while it retries, keeps the tracks after the last failed try, and adds them once on the next pick', async () => {
    const playlist = makePlaylist({ name: 'Road trip' });
    const tracks = makeTracks(2);
    let reachable = false;
    const stored = new Map<string, number>();
    const seen = fakeApi({
      'GET /playlists': { items: [playlist] },
      [`POST /playlists/${playlist.id}/entries`]: ({ headers, body }: SeenRequest) => {
        stored.set(headers['idempotency-key']!, (body as { trackIds: string[] }).trackIds.length);
        if (!reachable) throw new TypeError('Failed to fetch');
        return jsonResponse(201, { items: makeEntries(tracks) });
      },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const playlists = usePlaylistsStore();
    await playlists.refresh();
    playlists.pick(tracks);
    vi.useFakeTimers();
    const wrapper = mount(AddToPlaylistDialog, { global: { plugins: [pinia] } });
    const pickButton = () => wrapper.get(`[data-playlist-id="${playlist.id}"]`);

    await pickButton().trigger('click');
    await vi.advanceTimersByTimeAsync(1);
    expect(pickButton().attributes()).toMatchObject({ disabled: '', 'aria-busy': 'true' });
    expect(wrapper.get('[data-testid="add-status"]').text()).toBe('Trying again…');

    await vi.runAllTimersAsync();
    await flushPromises();
    expect(wrapper.find('[data-testid="add-status"]').exists()).toBe(false);
    expect(wrapper.get('[role="alert"]').text()).toMatch(/Can't reach Alktunes/);
    expect(pickButton().attributes('disabled')).toBeUndefined();
    expect(playlists.pendingTracks).toEqual(tracks);

    reachable = true;
    await pickButton().trigger('click');
    await vi.advanceTimersByTimeAsync(100);
    expect(stored.size).toBe(1);
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(MAX_ATTEMPTS + 1);
    expect(useNoticeStore().text).toBe('Added 2 tracks to Road trip.');
    expect(playlists.pendingTracks).toBeNull();
  });
});
