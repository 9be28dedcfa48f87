import { invalidInput } from './errors';
import { formatM3u8, parseM3u } from './playlist-files-m3u';
import type { ExportedPlaylist, ImportedPlaylist, PlaylistFileKind, PlaylistFormat } from './playlist-files-model';
import { formatXspf, parseXspf } from './playlist-files-xspf';

export type {
  ExportedPlaylist,
  ExportedTrack,
  ImportedItem,
  ImportedPlaylist,
  PlaylistFileKind,
  PlaylistFormat,
} from './playlist-files-model';

/** The file of `format` for `playlist`. */
export function formatPlaylist(format: PlaylistFormat, playlist: ExportedPlaylist): string {
  return format === 'm3u8' ? formatM3u8(playlist) : formatXspf(playlist);
}

/** A byte-order mark some editors put first; neither format wants it. */
const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Which format the text is in, from its first characters: XML is XSPF, anything else readable is M3U. */
export function sniffPlaylistKind(text: string): PlaylistFileKind | undefined {
  const start = stripBom(text).trimStart();
  if (start.startsWith('<')) return 'xspf';
  // A binary file (an audio file sent by mistake) is no playlist.
  if (start.includes('\u0000')) return undefined;
  return start ? 'm3u' : undefined;
}

/**
 * Reads a playlist file of `kind` (sniffed from the text when undefined). A file that is not a
 * playlist, or lists no track, is a 400.
 */
export function parsePlaylistFile(text: string, kind = sniffPlaylistKind(text)): ImportedPlaylist {
  const body = stripBom(text);
  if (!kind) throw invalidInput('The body is not a playlist file (M3U, M3U8 or XSPF)');
  const parsed = kind === 'm3u' ? parseM3u(body) : parseXspf(body);
  if (parsed.items.length === 0) throw invalidInput('The playlist file lists no tracks');
  return parsed;
}
