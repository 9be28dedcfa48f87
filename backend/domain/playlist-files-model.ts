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

/** Removes characters that would break a line or an XML text: control characters become spaces. */
export const singleLine = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim();

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
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..' && !/^[a-z]:$/i.test(part));
  const file = parts.pop();
  if (!file) return {};
  const stem = file
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/^\s*\d{1,3}(?:\s*[-._)]\s*|\s+)/, '')
    .trim();
  const dash = stem.split(/\s+[-–—]\s+/);
  if (dash.length >= 2) return { artist: dash[0]!.trim(), title: dash.slice(1).join(' - ').trim() };
  if (parts.length >= 2) return { artist: parts.at(-2), album: parts.at(-1), title: stem };
  return { title: stem };
}
