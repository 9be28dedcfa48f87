import type { PlaylistFileFormat } from '@@/shared/api';

/** What the import's file picker accepts. */
export const PLAYLIST_FILE_ACCEPT = '.m3u,.m3u8,.xspf';

/** Content types by file extension; browsers give `File.type` for none of them reliably. */
const TYPES: Record<string, string> = {
  m3u: 'audio/x-mpegurl',
  m3u8: 'audio/x-mpegurl',
  xspf: 'application/xspf+xml',
};

const EXTENSIONS: Record<PlaylistFileFormat, string> = { m3u8: 'm3u8', xspf: 'xspf' };

/**
 * A picked playlist file as the import sends it: the name to give the playlist (the file's name
 * without its extension) and the file typed by its extension; null for a file of another kind.
 */
export function playlistUpload(file: File): { name: string; body: Blob } | null {
  const match = /^(.*)\.([^.]+)$/.exec(file.name);
  const type = match && TYPES[match[2]!.toLowerCase()];
  if (!match || !type) return null;
  return { name: match[1]!.trim() || 'Imported playlist', body: new Blob([file], { type }) };
}

/** A file name for a playlist called `name`: characters no file system takes become `_`. */
export function playlistFileName(name: string, format: PlaylistFileFormat): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').trim() || 'playlist';
  return `${safe}.${EXTENSIONS[format]}`;
}

/** Saves `blob` as a download named `fileName`, through a blob URL and an `<a download>`. */
export function saveFile(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has taken the URL by the next task; a minute is ample for a slow disk.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
