import { MAX_IMPORT_BYTES } from '../../../shared/api';
import { AppError } from '../../domain/errors';
import type { PlaylistFileKind } from '../../domain/playlist-files';
import type { ApiEvent } from '../types';

/** The media types a playlist file is sent as; undefined: read the body to tell. */
const kindByType: Record<string, PlaylistFileKind | undefined> = {
  'audio/x-mpegurl': 'm3u',
  'audio/mpegurl': 'm3u',
  'application/x-mpegurl': 'm3u',
  'application/vnd.apple.mpegurl': 'm3u',
  'application/xspf+xml': 'xspf',
  'text/plain': undefined,
  'application/octet-stream': undefined,
};

const tooLarge = () => new AppError('too_large', `A playlist file may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);

/**
 * The uploaded playlist file as text, and its format when the content type names one. API
 * Gateway hands a body it did not take for text base64-encoded. The file is UTF-8 (M3U8, XSPF);
 * an old M3U in Latin-1 is read as such rather than refused.
 */
export function playlistFileOf(event: ApiEvent): { text: string; kind?: PlaylistFileKind } {
  const header = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  const type = header?.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  if (!(type in kindByType)) {
    throw new AppError('unsupported_media_type', 'Send the playlist as audio/x-mpegurl, application/xspf+xml or text/plain');
  }
  const raw = event.body ?? '';
  // Base64 is 4 characters per 3 bytes: a body that long can't decode to less than the limit.
  if ((event.isBase64Encoded ? (raw.length * 3) / 4 - 2 : Buffer.byteLength(raw)) > MAX_IMPORT_BYTES) throw tooLarge();
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return { text, kind: kindByType[type] };
}
