/**
 * Which audio a browser's `<audio>` element can play, decided from the container and codec
 * that music-metadata found in the bytes (never from the file extension alone).
 */

/** What the parser reports about a file's audio stream. */
export interface StreamFormat {
  container?: string;
  codec?: string;
  /** Seconds; absent or 0 when no audio frames were found. */
  duration?: number;
}

/** A playable format: the Content-Type to store it with and the extension of its S3 key. */
export interface PlayableFormat {
  contentType: string;
  extension: string;
  /** Short human name for logs, e.g. `MP3`, `FLAC`. */
  label: string;
}

export type FormatVerdict = { playable: true; format: PlayableFormat } | { playable: false; reason: string };

const playable = (contentType: string, extension: string, label: string): FormatVerdict => ({
  playable: true,
  format: { contentType, extension, label },
});
const unplayable = (reason: string): FormatVerdict => ({ playable: false, reason });

/** WAV sample formats browsers decode: integer PCM, float, and WAVE_FORMAT_EXTENSIBLE (0xFFFE, used for 24-bit and multichannel PCM). */
const PLAYABLE_WAV_CODECS = new Set(['PCM', 'IEEE_FLOAT', 'non-PCM (65534)']);

function byCodec({ container = '', codec = '' }: StreamFormat): FormatVerdict {
  if (container === 'MPEG') {
    return /Layer 3$/.test(codec) ? playable('audio/mpeg', 'mp3', 'MP3') : unplayable(`${codec} audio is not playable in browsers`);
  }
  if (container.startsWith('ADTS')) return codec === 'AAC' ? playable('audio/aac', 'aac', 'AAC') : unplayable(`ADTS with ${codec}`);
  if (container === 'FLAC') return playable('audio/flac', 'flac', 'FLAC');
  if (container === 'Ogg') {
    if (codec === 'Vorbis I') return playable('audio/ogg', 'ogg', 'Ogg Vorbis');
    if (codec === 'Opus') return playable('audio/ogg', 'opus', 'Opus');
    return unplayable(`Ogg with ${codec || 'an unknown codec'} is not playable in browsers`);
  }
  if (container === 'WAVE') {
    return PLAYABLE_WAV_CODECS.has(codec)
      ? playable('audio/wav', 'wav', 'WAV')
      : unplayable(`WAV with ${codec} audio is not playable in browsers`);
  }
  // MP4 reports its ftyp brands as the container (`M4A/isom/mp42`…), so go by the codec.
  if (codec === 'MPEG-4/AAC') return playable('audio/mp4', 'm4a', 'AAC (MP4)');
  if (codec === 'ALAC') return unplayable('Apple Lossless (ALAC) is not playable in most browsers');
  return unplayable(`${container || 'unknown container'}${codec ? ` / ${codec}` : ''} is not a format browsers can play`);
}

/**
 * Decides whether a parsed file can be imported. A file the parser took for audio (by its
 * content or its audio extension) but found no codec or no audio frames in is corrupt or
 * truncated audio, whatever its name says.
 */
export function classifyFormat(format: StreamFormat): FormatVerdict {
  if (!format.container || !format.codec) return unplayable('corrupt or truncated audio (no audio stream found)');
  const verdict = byCodec(format);
  if (verdict.playable && !(format.duration && format.duration > 0)) {
    return unplayable('no audio frames found (truncated or empty file)');
  }
  return verdict;
}

/** File names that are never audio and not worth parsing or reporting one by one. */
const SIDECAR_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'txt',
  'nfo',
  'log',
  'cue',
  'm3u',
  'm3u8',
  'pls',
  'sfv',
  'md5',
  'pdf',
  'lrc',
  'accurip',
]);

/** True for images, playlists, rip logs and other files that ride along with music. */
export function isSidecarFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && SIDECAR_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}
