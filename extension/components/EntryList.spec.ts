import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { PlaylistEntry } from '@@/shared/api';
import { makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, signedInEachTest } from '@@/test/extension/popup-fakes';
import { useLikesStore } from '@/stores/likes';
import { usePlayerViewStore } from '@/stores/player-view';
import { IDLE_PLAYER_STATE, playerStateItem } from '@/player/player-state';
import EntryList from './EntryList.vue';
import QueueView from './QueueView.vue';

function mountEntries(entries: PlaylistEntry[]) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(EntryList<PlaylistEntry>, {
    props: {
      items: entries,
      itemKey: (entry: PlaylistEntry) => entry.id,
      trackOf: (entry: PlaylistEntry) => entry.track,
      label: 'Tracks',
      rowTestid: 'playlist-entry',
    },
    global: { plugins: [pinia] },
    attachTo: document.body,
  });
  return wrapper;
}

describe('EntryList', () => {
  signedInEachTest();

  it('gives every entry still in the catalog a heart marked from the liked ids, and changes it', async () => {
    const tracks = makeTracks(3);
    const entries = makeEntries(tracks);
    entries[2] = { ...entries[2]!, track: null };
    const seen = fakeApi({
      [`PUT /me/likes/${tracks[0]!.id}`]: () => new Response(null, { status: 204 }),
      [`DELETE /me/likes/${tracks[1]!.id}`]: () => new Response(null, { status: 204 }),
    });
    const wrapper = mountEntries(entries);
    useLikesStore().hydrate({ value: [tracks[1]!.id], fetchedAt: 1 });
    await flushPromises();

    const rows = () => wrapper.findAll('[data-testid="playlist-entry"]');
    const heart = (i: number) => rows()[i]!.get('[data-testid="track-like"]');
    expect(rows()).toHaveLength(3);
    expect(heart(0).attributes()).toMatchObject({ 'aria-pressed': 'false', 'aria-label': `Like ${tracks[0]!.title}`, title: 'Like' });
    expect(heart(1).attributes()).toMatchObject({ 'aria-pressed': 'true', 'aria-label': `Like ${tracks[1]!.title}`, title: 'Like' });
    // An entry whose track left the catalog has nothing to like; its other controls stay.
    expect(rows()[2]!.find('[data-testid="track-like"]').exists()).toBe(false);
    expect(rows().map((r) => r.find('[data-testid="entry-remove"]').exists())).toEqual([true, true, true]);

    await heart(0).trigger('click');
    expect(heart(0).attributes('aria-pressed')).toBe('true');
    await heart(1).trigger('click');
    expect(heart(1).attributes('aria-pressed')).toBe('false');
    await flushPromises();
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /me/likes/${tracks[0]!.id}`, `DELETE /me/likes/${tracks[1]!.id}`]);
    expect([...useLikesStore().ids]).toEqual([tracks[0]!.id]);
    // Pressing a heart neither plays, removes nor moves its entry.
    expect(wrapper.emitted()).not.toHaveProperty('play');
    expect(wrapper.emitted()).not.toHaveProperty('remove');
    expect(wrapper.emitted()).not.toHaveProperty('move');
    wrapper.unmount();
  });

  it('keeps the row keys: the heart is in the roving tab order, and Enter or Delete on it is not the row’s', async () => {
    const entries = makeEntries(makeTracks(3));
    fakeApi({});
    const wrapper = mountEntries(entries);
    await flushPromises();

    const hearts = () => wrapper.findAll('[data-testid="track-like"]');
    expect(hearts().map((h) => h.attributes('tabindex'))).toEqual(['0', '-1', '-1']);
    await wrapper.get('[data-index="0"]').trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(hearts().map((h) => h.attributes('tabindex'))).toEqual(['-1', '0', '-1']);

    await hearts()[1]!.trigger('keydown', { key: 'Enter' });
    await hearts()[1]!.trigger('keydown', { key: 'Delete' });
    expect(wrapper.emitted()).not.toHaveProperty('play');
    expect(wrapper.emitted()).not.toHaveProperty('remove');

    // The row's own keys still do what they did.
    await wrapper.get('[data-index="1"]').trigger('keydown', { key: 'Enter' });
    await wrapper.get('[data-index="1"]').trigger('keydown', { key: 'Delete' });
    await wrapper.get('[data-index="1"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    expect(wrapper.emitted('move')).toEqual([[1, 2]]);
    expect(wrapper.emitted('play')).toEqual([[1]]);
    expect(wrapper.emitted('remove')).toEqual([[1]]);
    wrapper.unmount();
  });

  it('gives the upcoming tracks of the queue their hearts too', async () => {
    const queue = makeTracks(3);
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 0 });
    const seen = fakeApi({ [`PUT /me/likes/${queue[2]!.id}`]: () => new Response(null, { status: 204 }) });
    const pinia = createPinia();
    setActivePinia(pinia);
    await usePlayerViewStore().restore();
    useLikesStore().hydrate({ value: [queue[1]!.id], fetchedAt: 1 });
    const wrapper = mount(QueueView, { global: { plugins: [pinia] }, attachTo: document.body });

    const hearts = () => wrapper.findAll('[data-testid="queue-entry"] [data-testid="track-like"]');
    expect(hearts().map((h) => h.attributes('aria-pressed'))).toEqual(['true', 'false']);
    expect(hearts().map((h) => h.attributes('aria-label'))).toEqual([`Like ${queue[1]!.title}`, `Like ${queue[2]!.title}`]);
    await hearts()[1]!.trigger('click');
    await flushPromises();
    expect(hearts().map((h) => h.attributes('aria-pressed'))).toEqual(['true', 'true']);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /me/likes/${queue[2]!.id}`]);
    wrapper.unmount();
  });
});
