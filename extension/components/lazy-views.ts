import { defineAsyncComponent, type Component } from 'vue';

/**
 * Views the popup does not show on open (or shows rarely), each in its own chunk so the
 * bundle that has to be parsed before the first paint stays small. `prefetchViews()` loads
 * them all once the first frame is on screen, so switching to one is instant afterwards.
 */
const loaders = {
  AddToPlaylistDialog: () => import('./AddToPlaylistDialog.vue'),
  AlbumView: () => import('./AlbumView.vue'),
  ArtistView: () => import('./ArtistView.vue'),
  AuthForm: () => import('./AuthForm.vue'),
  HelpView: () => import('./HelpView.vue'),
  LikedView: () => import('./LikedView.vue'),
  PlaylistsView: () => import('./PlaylistsView.vue'),
  PlaylistView: () => import('./PlaylistView.vue'),
  QueueView: () => import('./QueueView.vue'),
  SearchView: () => import('./SearchView.vue'),
} satisfies Record<string, () => Promise<{ default: Component }>>;

type Name = keyof typeof loaders;
const loading = new Map<Name, Promise<Component>>();

/** Loads a view's chunk once; later calls share the same promise. */
export function loadView(name: Name): Promise<Component> {
  let pending = loading.get(name);
  if (!pending) {
    pending = loaders[name]().then((module) => module.default);
    loading.set(name, pending);
  }
  return pending;
}

const lazy = (name: Name) => defineAsyncComponent(() => loadView(name));

export const AddToPlaylistDialog = lazy('AddToPlaylistDialog');
export const AlbumView = lazy('AlbumView');
export const ArtistView = lazy('ArtistView');
export const AuthForm = lazy('AuthForm');
export const HelpView = lazy('HelpView');
export const LikedView = lazy('LikedView');
export const PlaylistsView = lazy('PlaylistsView');
export const PlaylistView = lazy('PlaylistView');
export const QueueView = lazy('QueueView');
export const SearchView = lazy('SearchView');

/** Loads every lazy view in the background (call after the first paint). */
export function prefetchViews(): void {
  for (const name of Object.keys(loaders) as Name[]) void loadView(name).catch(() => loading.delete(name));
}
