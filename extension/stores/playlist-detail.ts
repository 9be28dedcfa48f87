import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Track } from '@@/shared/api';
import { describeError } from '@/utils/describe-error';
import { beforeIdAfterMove, moveItem } from '@/utils/list-order';
import type { PlaylistEntry } from '@@/shared/api';
import { createPlaylistsService } from '@/api/playlists-service';
import { releasePlaylistKeys } from '@/api/unfinished-actions';
import { usePlaylistsStore } from './playlists';

/** The playlist open in the detail view: its entries, reordered and pruned optimistically. */
export const usePlaylistDetailStore = defineStore('playlist-detail', () => {
  /** Id of the open playlist; null when none is open. */
  const id = ref<string | null>(null);
  /** Entries in playlist order, growing page by page while a long playlist loads. */
  const entries = shallowRef<PlaylistEntry[]>([]);
  /** True until every page has arrived; reordering waits for it (a `before` must be known). */
  const loading = ref(false);
  /** Words for the last failure; after a failed change the playlist is reloaded from the server. */
  const error = ref<string | null>(null);
  /** A short sentence for screen readers after a move or removal. */
  const announcement = ref('');

  /** The entries that can play (their track still exists). */
  const tracks = computed<Track[]>(() => entries.value.flatMap((e) => (e.track ? [e.track] : [])));
  const service = () => createPlaylistsService();
  let generation = 0;
  /** Changes reach the server one at a time, in the order made: each move's `before` assumes the last one landed. */
  let writes: Promise<unknown> = Promise.resolve();

  /** Queues a write; if it fails, reloads the playlist (the server's order is the truth) and says why. */
  async function write(playlistId: string, run: () => Promise<unknown>, failure: string): Promise<boolean> {
    const mine = writes.then(run);
    writes = mine.catch(() => {});
    try {
      await mine;
      return true;
    } catch (cause) {
      if (id.value === playlistId) await open(playlistId);
      error.value = describeError(cause, failure);
      return false;
    }
  }

  /** Loads a playlist's entries, showing each page as it lands. */
  async function open(playlistId: string): Promise<void> {
    const mine = ++generation;
    id.value = playlistId;
    entries.value = [];
    error.value = null;
    loading.value = true;
    try {
      const all = await service().entries(playlistId, (page) => {
        if (mine === generation) entries.value = [...entries.value, ...page];
      });
      if (mine !== generation) return;
      entries.value = all;
      usePlaylistsStore().setEntryCount(playlistId, all.length);
    } catch (cause) {
      if (mine === generation) error.value = describeError(cause, "Couldn't load the playlist.");
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Moves the entry at `from` to index `to`, at once on screen and then on the server. */
  async function move(from: number, to: number): Promise<void> {
    const playlistId = id.value;
    const entry = entries.value[from];
    if (!playlistId || !entry || loading.value || to < 0 || to >= entries.value.length || from === to) return;
    const before = beforeIdAfterMove(entries.value, from, to);
    entries.value = moveItem(entries.value, from, to);
    announcement.value = `Moved ${entry.track?.title ?? 'entry'} to position ${to + 1} of ${entries.value.length}.`;
    await write(playlistId, () => service().moveEntry(playlistId, entry.id, before), "Couldn't move the track.");
  }

  /** Removes the entry at `index`, restoring it if the server refuses. */
  async function removeAt(index: number): Promise<void> {
    const playlistId = id.value;
    const entry = entries.value[index];
    if (!playlistId || !entry) return;
    entries.value = entries.value.filter((e) => e.id !== entry.id);
    announcement.value = `Removed ${entry.track?.title ?? 'entry'}.`;
    const removed = await write(playlistId, () => service().removeEntry(playlistId, entry.id), "Couldn't remove the track.");
    if (!removed) return;
    usePlaylistsStore().setEntryCount(playlistId, entries.value.length);
    // Adding the same tracks after this is a new action: a held key would replay the old one.
    await releasePlaylistKeys(playlistId);
  }

  function close(): void {
    generation++;
    id.value = null;
    entries.value = [];
    loading.value = false;
    error.value = null;
  }

  return { id, entries, loading, error, announcement, tracks, open, move, removeAt, close };
});
