import { MAX_IMPORT_TRACKS } from '../../shared/api';
import { AppError, invalidInput } from './errors';
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

/** A NUL is in no text file: neither XML nor M3U may hold one. */
const isBinary = (text: string) => text.includes('\u0000');

/** Which format the text is in, from its first characters: XML is XSPF, anything else readable is M3U. */
export function sniffPlaylistKind(text: string): PlaylistFileKind | undefined {
  const start = stripBom(text).trimStart();
  // A binary file (an audio file sent by mistake) is no playlist.
  if (isBinary(start)) return undefined;
  if (start.startsWith('<')) return 'xspf';
  return start ? 'm3u' : undefined;
}

/**
 * Reads a playlist file of `kind` (sniffed from the text when undefined). A file that is not a
 * playlist, or lists no track, is a 400; one listing more than `MAX_IMPORT_TRACKS` a 413, told
 * as soon as the track after the limit is read.
 */
export function parsePlaylistFile(text: string, kind = sniffPlaylistKind(text)): ImportedPlaylist {
  const body = stripBom(text);
  if (!kind || isBinary(body)) throw invalidInput('The body is not a playlist file (M3U, M3U8 or XSPF)');
  const parsed = kind === 'm3u' ? parseM3u(body, MAX_IMPORT_TRACKS) : parseXspf(body, MAX_IMPORT_TRACKS);
  if (parsed.items.length === 0) throw invalidInput('The playlist file lists no tracks');
  if (parsed.items.length > MAX_IMPORT_TRACKS) {
    throw new AppError('too_large', `A playlist file may list at most ${MAX_IMPORT_TRACKS} tracks`);
  }
  return parsed;
}
