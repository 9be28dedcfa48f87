import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { clearPopupCache } from '@/utils/popup-cache';
import { useHomeStore } from './home';
import { usePlayerStore } from './player';
import { usePlaylistDetailStore } from './playlist-detail';
import { usePlaylistsStore } from './playlists';
import { useSearchStore } from './search';
import { useSessionStore } from './session';
import { useViewStore } from './view';

/**
 * Starts the popup: paints everything it can from storage (session, player, view, feed,
 * playlists) without waiting on the network, then refreshes behind what is on screen.
 */
export const usePopupStore = defineStore('popup', () => {
  /** True once the cached state is on screen (the first paint after this is the real one). */
  const painted = ref(false);

  async function signedInStart(): Promise<void> {
    const home = useHomeStore();
    const playlists = usePlaylistsStore();
    await Promise.all([home.restoreCached(), playlists.restoreCached(), useViewStore().restore()]);
    painted.value = true;
    void home.refresh();
    void playlists.refresh();
  }

  async function signedOut(): Promise<void> {
    useHomeStore().clear();
    usePlaylistsStore().clear();
    usePlaylistDetailStore().close();
    useSearchStore().clear();
    useViewStore().reset();
    await clearPopupCache();
  }

  /** Restores from storage and follows sign-ins and sign-outs. */
  async function start(): Promise<void> {
    const session = useSessionStore();
    await Promise.all([usePlayerStore().restore(), session.restore()]);
    if (session.signedIn) await signedInStart();
    else painted.value = true;
    watch(
      () => session.signedIn,
      (signedIn) => void (signedIn ? signedInStart() : signedOut()),
    );
  }

  return { painted, start };
});
