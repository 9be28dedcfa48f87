import { describe, expect, it } from 'vitest';
import { playlistFilesTask, playlistFilesUrl, type PlaylistFilesTask } from './playlist-files-page';

describe('the playlist-files page address', () => {
  it('carries an import, or the playlist to export with its name, to the page', () => {
    const tasks: PlaylistFilesTask[] = [{ kind: 'import' }, { kind: 'export', playlistId: 'pl_1', name: 'Road trip: live & loud?' }];
    for (const task of tasks) {
      const url = new URL(playlistFilesUrl(task));
      expect(url.pathname).toBe('/playlist-files.html');
      expect(playlistFilesTask(url.search)).toEqual(task);
    }
  });
});
