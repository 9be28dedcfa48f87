import { ID_PATTERN } from './ids';

/** The playlist files the API writes (`GET /playlists/{id}/export?format=`). */
export type PlaylistFormat = 'm3u8' | 'xspf';

/** The playlist files the API reads: M3U (M3U8 is M3U in UTF-8) and XSPF. */
export type PlaylistFileKind = 'm3u' | 'xspf';

/** A track as an exported file describes it. */
export interface ExportedTrack {
  id: string;
  title: string;
  artist: string;
  album: string;
  durationMs: number;
  trackNumber?: number;
  /** The audio file's extension (`mp3`, `flac`…), for the relative location other players look for. */
  extension: string;
}

/** What an export writes: the playlist's name and its tracks in playlist order. */
export interface ExportedPlaylist {
  name: string;
  tracks: readonly ExportedTrack[];
}

/**
 * One track line of an imported file, with what it names. Our own exports carry the track id;
 * other files name the track by artist and title (from `#EXTINF`, XSPF elements, or the path).
 */
export interface ImportedItem {
  /** What the file said, as the answer lists it when nothing matched: `Artist - Title`, else the location as written. */
  text: string;
  /** The catalog id of a track our own export wrote. */
  trackId?: string;
  artist?: string;
  title?: string;
  album?: string;
}

export interface ImportedPlaylist {
  /** The file's own title (`#PLAYLIST:` or XSPF `<title>`), when it has one. */
  title?: string;
  items: ImportedItem[];
}

/**
 * The URI scheme of the track ids our exports carry (XSPF `<identifier>`, and the
 * `#ALKTUNES-TRACK:` comment of M3U8), so an import of our own file recognises each track exactly.
 */
export const TRACK_URI_PREFIX = 'alktunes:track:';

/** The track id in one of our track URIs; undefined for another URI, or one whose id could not be ours. */
export function ourTrackId(uri: string): string | undefined {
  const id = uri.startsWith(TRACK_URI_PREFIX) ? uri.slice(TRACK_URI_PREFIX.length) : undefined;
  return id !== undefined && ID_PATTERN.test(id) ? id : undefined;
}

/**
 * The longest name or line an import keeps (longer ones are cut, ending in `…`): no track is
 * named that long, and matching a longer one would only cost time.
 */
export const MAX_IMPORTED_TEXT_LENGTH = 500;

/**
 * Removes characters that would break a line or an XML text: control characters and the Unicode
 * line and paragraph separators (some players split lines at them) become spaces.
 */
export const singleLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/**
 * One line with each run of white space or control characters as one space (`\s` takes in the
 * line separators): what the readers' patterns expect, and what keeps them linear (`\s+-\s+`
 * over a long run of spaces is not). One pass, as it may run over a whole 1 MB line.
 */
const oneSpaced = (text: string) => text.replace(/[\s\p{Cc}]+/gu, ' ').trim();

/** `MAX_IMPORTED_TEXT_LENGTH` at most, cut by code points (no emoji split in half). */
const capped = (text: string) =>
  text.length <= MAX_IMPORTED_TEXT_LENGTH ? text : `${[...text.slice(0, MAX_IMPORTED_TEXT_LENGTH)].slice(0, -1).join('')}…`;

/** A name or line of an imported file as the import keeps it: one-spaced, cut at `MAX_IMPORTED_TEXT_LENGTH`. */
export const importedText = (text: string) => capped(oneSpaced(text));

/**
 * Where other players look for the track: `Artist/Album/NN Title.ext` relative to the playlist
 * file, as music folders are commonly laid out, each part stripped of what file systems refuse.
 */
export function relativeLocation(track: ExportedTrack): string[] {
  const part = (text: string) =>
    singleLine(text)
      .replace(/[\\/:*?"<>|]+/g, '_')
      .replace(/^\.+/, '_') || '_';
  const number = track.trackNumber ? `${String(track.trackNumber).padStart(2, '0')} ` : '';
  return [part(track.artist), part(track.album), `${number}${part(track.title)}.${track.extension}`];
}

/** `Artist - Title`, the way `#EXTINF` and most players show a track. */
export const displayName = (artist: string | undefined, title: string | undefined) =>
  artist && title ? `${artist} - ${title}` : (title ?? artist ?? '');

/**
 * `Artist - Title` (any dash, the title keeping further ones) into its parts; undefined when
 * there is no dash. `text` is one-spaced (`importedText`).
 */
export function splitDisplayName(text: string): Pick<ImportedItem, 'artist' | 'title'> | undefined {
  const [artist, ...rest] = text.split(/ [-–—] /);
  return rest.length ? { artist: capped(artist!), title: capped(rest.join(' - ')) } : undefined;
}

/**
 * What a file location names: the file name without extension and leading track number as the
 * title, `Artist - Title` file names split, else artist and album from the folders above it
 * (`Music/Artist/Album/03 - Title.mp3`). Windows paths and `file://` URLs (percent-encoded) are
 * read alike.
 */
export function describeLocation(location: string): Pick<ImportedItem, 'artist' | 'title' | 'album'> {
  let path = location.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      // Not a URL after all: read it as a path.
    }
  }
  const parts = oneSpaced(path)
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..' && !/^[a-z]:$/i.test(part));
  const file = parts.pop();
  if (!file) return {};
  const stem = file
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/^ ?\d{1,3}(?: ?[-._)] ?| )/, '')
    .trim();
  const named = splitDisplayName(stem);
  if (named) return named;
  if (parts.length >= 2) return { artist: capped(parts.at(-2)!), album: capped(parts.at(-1)!), title: capped(stem) };
  return { title: capped(stem) };
}
