import { browser } from 'wxt/browser';

/** What the playlist-files page is open for: importing a file, or exporting one playlist. */
export type PlaylistFilesTask = { kind: 'import' } | { kind: 'export'; playlistId: string; name: string };

/** The page's address for `task`. */
export function playlistFilesUrl(task: PlaylistFilesTask): string {
  const query = task.kind === 'export' ? `?${new URLSearchParams({ playlist: task.playlistId, name: task.name })}` : '';
  return browser.runtime.getURL(`/playlist-files.html${query}`);
}

/** The task named in the page's own query string (`location.search`). */
export function playlistFilesTask(search: string): PlaylistFilesTask {
  const params = new URLSearchParams(search);
  const playlistId = params.get('playlist');
  return playlistId ? { kind: 'export', playlistId, name: params.get('name') || 'Playlist' } : { kind: 'import' };
}

/**
 * Opens the playlist-files page in a tab for `task`. Firefox closes the popup the moment a file
 * picker or a save dialog opens, and the picked file or the download goes with it; a tab stays.
 */
export async function openPlaylistFilesPage(task: PlaylistFilesTask): Promise<void> {
  await browser.tabs.create({ url: playlistFilesUrl(task) });
}
