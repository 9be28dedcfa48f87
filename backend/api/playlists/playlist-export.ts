import type { PlaylistFileFormat } from '../../../shared/api';
import { MAX_PAGE_SIZE } from '../../../shared/api';
import type { TrackRecord } from '../../domain/catalog';
import { formatPlaylist, type ExportedTrack } from '../../domain/playlist-files';
import type { Playlist, PlaylistRepository } from '../../domain/playlists';
import type { CatalogRepository } from '../../domain/ports';
import type { ApiResult } from '../types';

const contentTypes: Record<PlaylistFileFormat, string> = {
  m3u8: 'audio/x-mpegurl; charset=utf-8',
  xspf: 'application/xspf+xml; charset=utf-8',
};

/** The audio file's extension from its key (`audio/<hash>.flac`), for the location other players look for. */
const extensionOf = (track: TrackRecord) => /\.([a-z0-9]{1,5})$/i.exec(track.audioKey)?.[1]?.toLowerCase() ?? 'mp3';

const exported = (track: TrackRecord): ExportedTrack => ({
  id: track.id,
  title: track.title,
  artist: track.artist,
  album: track.album,
  durationMs: track.durationMs,
  trackNumber: track.trackNumber,
  extension: extensionOf(track),
});

/**
 * The whole playlist as a file, read page by page in playlist order. Entries whose track has
 * left the catalog are left out: a file can only point at tracks that exist.
 */
export async function exportPlaylist(
  { playlists, catalog }: { playlists: PlaylistRepository; catalog: CatalogRepository },
  playlist: Playlist,
  format: PlaylistFileFormat,
): Promise<ApiResult> {
  const tracks: ExportedTrack[] = [];
  let cursor: string | undefined;
  do {
    const page = await playlists.listEntries(playlist.id, { limit: MAX_PAGE_SIZE, cursor });
    const found = new Map((await catalog.getTracks([...new Set(page.items.map((e) => e.trackId))])).map((t) => [t.id, t]));
    for (const entry of page.items) {
      const track = found.get(entry.trackId);
      if (track) tracks.push(exported(track));
    }
    cursor = page.cursor;
  } while (cursor);
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[format],
      'content-disposition': attachment(playlist.name, format),
      'cache-control': 'no-store',
    },
    body: formatPlaylist(format, { name: playlist.name, tracks }),
  };
}

/**
 * `attachment` with the playlist's name as the file name: a plain ASCII `filename` every browser
 * reads (no quotes, slashes or control characters to break out of it) and the name as it is in
 * `filename*` (RFC 6266).
 */
function attachment(name: string, format: PlaylistFileFormat): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/[^A-Za-z0-9 ._()-]+/g, '_')
      .replace(/^[\s.]+|\s+$/g, '')
      .slice(0, 100) || 'playlist';
  const utf8 = encodeURIComponent(`${name}.${format}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${utf8}`;
}
