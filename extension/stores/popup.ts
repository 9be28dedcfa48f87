import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { clearPopupCache } from '@/utils/popup-cache';
import { normalizeState } from '@/player/player-state';
import { afterNextPaint, readStartupState, type StartupState } from '@/utils/popup-startup';
import { useHomeStore } from './home';
import { usePlayerViewStore } from './player-view';
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

  /** Fetches the feed and the playlists behind what is on screen. */
  function refreshAll(): void {
    void useHomeStore().refresh();
    void usePlaylistsStore().refresh();
  }

  /** A sign-in made while the popup is open: whatever is cached, then the network. */
  async function signedInStart(): Promise<void> {
    const home = useHomeStore();
    const playlists = usePlaylistsStore();
    await Promise.all([home.restoreCached(), playlists.restoreCached(), useViewStore().restore()]);
    painted.value = true;
    refreshAll();
  }

  async function signedOut(): Promise<void> {
    useHomeStore().clear();
    await usePlaylistsStore().clear();
    usePlaylistDetailStore().close();
    useSearchStore().clear();
    useViewStore().reset();
    await clearPopupCache();
  }

  /** Puts the state read on open into the stores, synchronously, so one render paints all of it. */
  function paintFrom(state: StartupState): void {
    const session = useSessionStore();
    session.hydrate(state.session);
    if (session.signedIn) {
      useHomeStore().hydrate(state.home);
      usePlaylistsStore().hydrate(state.playlists);
      useViewStore().hydrate(state.view);
    }
    painted.value = true;
  }

  /**
   * Restores from storage and follows sign-ins and sign-outs. `preread` is the startup state
   * when the caller already started reading it (`main.ts` does, before mounting); resolves
   * once that state is in the stores. Nothing here waits on the network: the refreshes start
   * after the cached state has been painted.
   */
  async function start(preread?: Promise<StartupState>): Promise<void> {
    const session = useSessionStore();
    const player = usePlayerViewStore();
    const state = await (preread ?? readStartupState());
    // The now-playing bar paints from the same read; the player view store then re-reads and follows it.
    if (state.player) player.$patch((store) => void (store.state = normalizeState(state.player)));
    void player.restore();
    paintFrom(state);
    if (session.signedIn) afterNextPaint(refreshAll);
    watch(
      () => session.signedIn,
      (signedIn) => void (signedIn ? signedInStart() : signedOut()),
    );
  }

  return { painted, start };
});
