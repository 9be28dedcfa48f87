import { ref } from 'vue';
import { MAX_IMPORT_BYTES, type Playlist, type PlaylistFileFormat } from '@@/shared/api';
import { createPlaylistsService } from '@/api/playlists-service';
import { usePlaylistsStore } from '@/stores/playlists';
import { describeError } from '@/utils/describe-error';
import { playlistFileName, playlistUpload, saveFile } from '@/utils/playlist-file';

/**
 * Importing a playlist file and exporting a playlist as one, for the view that offers them: the
 * popup's, or the playlist-files page in Firefox. A failure is said in the view's own words,
 * apart from a list's load error: "Try again" there reloads the list, which retries neither.
 */
export function usePlaylistFiles() {
  const playlists = usePlaylistsStore();
  const service = () => createPlaylistsService();
  /** Words for the last failed import or export. */
  const error = ref<string | null>(null);
  /** True while an import is on its way. */
  const importing = ref(false);

  /**
   * Makes a playlist from an M3U/M3U8 or XSPF file, named after the file, and lists it first with
   * how many lines found a track. Resolves to the playlist, or undefined when it failed (then
   * `error` says why).
   */
  async function importFile(file: File): Promise<Playlist | undefined> {
    if (importing.value) return undefined;
    error.value = null;
    const upload = playlistUpload(file);
    if (!upload) {
      error.value = 'Pick an M3U, M3U8 or XSPF playlist file.';
      return undefined;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      error.value = `That file is too large to import (at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`;
      return undefined;
    }
    importing.value = true;
    try {
      const imported = await service().importFile(upload.name, upload.body);
      await playlists.showImported(imported);
      return imported.playlist;
    } catch (cause) {
      error.value = describeError(cause, "Couldn't import the playlist.");
      return undefined;
    } finally {
      importing.value = false;
    }
  }

  /** Saves playlist `playlistId` as a file named after `name`; false when the server could not give it. */
  async function exportAs(playlistId: string, format: PlaylistFileFormat, name: string): Promise<boolean> {
    error.value = null;
    try {
      saveFile(await service().exportFile(playlistId, format), playlistFileName(name, format));
      return true;
    } catch (cause) {
      error.value = describeError(cause, "Couldn't export the playlist.");
      return false;
    }
  }

  return { error, importing, importFile, exportAs };
}
