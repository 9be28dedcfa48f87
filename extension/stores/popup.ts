import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { clearPopupCache } from '@/utils/popup-cache';
import { normalizeState } from '@/player/player-state';
import { afterNextPaint, readStartupState, type StartupState } from '@/utils/popup-startup';
import { captureShell, clearSnapshot, writeShell, writeSnapshot, type PopupSnapshot } from '@/utils/popup-snapshot';
import { useHomeStore } from './home';
import { useLikesStore } from './likes';
import { useNoticeStore } from './notice';
import { usePlayerViewStore } from './player-view';
import { usePlaylistDetailStore } from './playlist-detail';
import { usePlaylistsStore } from './playlists';
import { useSearchStore } from './search';
import { useSessionStore } from './session';
import { useViewStore } from './view';

/**
 * Starts the popup: paints what it showed last from its snapshot (`utils/popup-snapshot.ts`,
 * read synchronously), then everything from storage (session, player, view, feed, playlists),
 * which corrects the snapshot, all without waiting on the network; then refreshes behind what is
 * on screen, and keeps the snapshot up to date for the next open.
 */
export const usePopupStore = defineStore('popup', () => {
  /** True once the cached state is on screen (the first paint after this is the real one). */
  const painted = ref(false);
  /** The listener whose snapshot is on screen, until storage has been read. */
  let snapshotUser: string | null = null;

  /** Fetches the feed, the playlists and the liked ids behind what is on screen. */
  function refreshAll(): void {
    void useHomeStore().refresh();
    void usePlaylistsStore().refresh();
    void useLikesStore().load();
  }

  /** A sign-in made while the popup is open: whatever is cached, then the network. */
  async function signedInStart(): Promise<void> {
    const home = useHomeStore();
    const playlists = usePlaylistsStore();
    await Promise.all([home.restoreCached(), playlists.restoreCached(), useLikesStore().restoreCached(), useViewStore().restore()]);
    painted.value = true;
    refreshAll();
  }

  async function signedOut(): Promise<void> {
    useHomeStore().clear();
    useLikesStore().clear();
    await usePlaylistsStore().clear();
    usePlaylistDetailStore().close();
    useSearchStore().clear();
    useViewStore().reset();
    await clearPopupCache();
  }

  /**
   * Puts the snapshot of the last open into the stores, synchronously: mounted right after, the
   * popup's first frame shows it. `start()` then corrects it from storage.
   */
  function paintSnapshot(snapshot: PopupSnapshot): void {
    useSessionStore().hydrate(snapshot);
    useHomeStore().hydrate(snapshot.home);
    useLikesStore().hydrate(snapshot.likedIds && { value: snapshot.likedIds, fetchedAt: 0 });
    useViewStore().hydrate(snapshot.view);
    if (snapshot.player) usePlayerViewStore().$patch((store) => void (store.state = normalizeState(snapshot.player)));
    snapshotUser = snapshot.user.id;
    painted.value = true;
  }

  /** Puts the state read on open into the stores, synchronously, so one render paints all of it. */
  function paintFrom(state: StartupState): void {
    const session = useSessionStore();
    const sameListener = snapshotUser !== null && snapshotUser === state.session?.user.id;
    // Another listener's snapshot (or none): nothing on screen may outlive this read.
    if (snapshotUser !== null && !sameListener) {
      useHomeStore().clear();
      useLikesStore().clear();
    }
    session.hydrate(state.session);
    if (session.signedIn) {
      useHomeStore().hydrate(state.home);
      usePlaylistsStore().hydrate(state.playlists);
      useLikesStore().hydrate(state.likes);
      // The snapshot's view was saved together with this one; a tab picked since then stays.
      if (!sameListener) useViewStore().hydrate(state.view);
    }
    painted.value = true;
  }

  /** What the next open paints first; written after this frame, never on the way to it. */
  function followSnapshot(): void {
    const session = useSessionStore();
    const home = useHomeStore();
    const view = useViewStore();
    const player = usePlayerViewStore();
    const playlists = usePlaylistsStore();
    const notice = useNoticeStore();
    const likes = useLikesStore();
    let pending = false;
    const save = () => {
      pending = false;
      if (!session.user) return clearSnapshot();
      writeSnapshot({
        user: session.user,
        home: home.feed && { value: home.feed, fetchedAt: home.fetchedAt ?? 0 },
        view: { tab: view.tab, detail: view.stack.at(-1) ?? null },
        player: player.state,
        likedIds: [...likes.ids],
      });
      // The shell is the home view exactly as the app renders it from the snapshot: none of what
      // the next open would not show (help, a dialog, a passing notice, a refresh under way or
      // failed); while any of that is up, the last shell stays. Away from home there is none.
      const app = globalThis.document?.getElementById('app');
      if (!app || app.hasAttribute('data-shell')) return;
      if (view.tab !== 'home' || view.stack.length) return writeShell(document, null);
      const settled = !view.helpOpen && !playlists.pendingTracks && !notice.text && !home.loading && !home.error;
      if (settled && home.feed) writeShell(document, captureShell(app));
    };
    watch(
      () => [
        session.user,
        home.feed,
        home.loading,
        home.error,
        view.tab,
        view.stack,
        view.helpOpen,
        playlists.pendingTracks,
        notice.text,
        player.state,
        likes.ids,
      ],
      () => {
        if (pending) return;
        pending = true;
        afterNextPaint(save);
      },
      { immediate: true },
    );
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
    // With the snapshot mounted, its frame comes first: correcting it now would delay that frame.
    if (snapshotUser !== null) await new Promise<void>((resolve) => afterNextPaint(resolve));
    // The now-playing bar paints from the same read; the player view store then re-reads and follows it.
    if (state.player) player.$patch((store) => void (store.state = normalizeState(state.player)));
    void player.restore();
    const fromSnapshot = snapshotUser !== null;
    paintFrom(state);
    snapshotUser = null;
    if (session.signedIn) afterNextPaint(refreshAll);
    // Signed out since the snapshot was taken (elsewhere, or by the background): forget it all.
    else if (fromSnapshot) void signedOut();
    watch(
      () => session.signedIn,
      (signedIn) => void (signedIn ? signedInStart() : signedOut()),
    );
    followSnapshot();
  }

  return { painted, paintSnapshot, start };
});
