/**
 * Small, valid audio files built byte by byte, so the import suites need no committed
 * binaries: MP3 (ID3v2.4 tags + silent MPEG-1 Layer III frames), FLAC (STREAMINFO + Vorbis
 * comments + optional picture), WAV (no tags) and a 1×1 PNG for cover art.
 */
import { crc32, deflateSync } from 'node:zlib';
import { encodeWav } from '../../backend/local/demo/synth';

export interface FixtureTags {
  title?: string;
  /** One or more artists; ID3v2.4 and Vorbis comments both carry several values. */
  artists?: string[];
  album?: string;
  albumArtist?: string;
  track?: number;
  trackTotal?: number;
  disc?: number;
  year?: number;
  genre?: string;
  /** Embedded front cover. */
  cover?: { mime: string; data: Uint8Array };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

function syncsafe(size: number): Buffer {
  return Buffer.from([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
}

function id3Frame(id: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id, 'latin1'), syncsafe(data.length), Buffer.from([0, 0]), data]);
}

/** A UTF-8 text frame; several values are separated by NUL as ID3v2.4 specifies. */
const textFrame = (id: string, ...values: string[]) => id3Frame(id, Buffer.concat([Buffer.from([3]), utf8(values.join('\u0000'))]));

/** An ID3v2.4 tag with the given fields (UTF-8 text frames, APIC front cover). */
export function id3v2(tags: FixtureTags): Buffer {
  const frames: Buffer[] = [];
  if (tags.title !== undefined) frames.push(textFrame('TIT2', tags.title));
  if (tags.artists?.length) frames.push(textFrame('TPE1', ...tags.artists));
  if (tags.album !== undefined) frames.push(textFrame('TALB', tags.album));
  if (tags.albumArtist !== undefined) frames.push(textFrame('TPE2', tags.albumArtist));
  if (tags.track !== undefined) frames.push(textFrame('TRCK', tags.trackTotal ? `${tags.track}/${tags.trackTotal}` : `${tags.track}`));
  if (tags.disc !== undefined) frames.push(textFrame('TPOS', `${tags.disc}`));
  if (tags.year !== undefined) frames.push(textFrame('TDRC', `${tags.year}`));
  if (tags.genre !== undefined) frames.push(textFrame('TCON', tags.genre));
  if (tags.cover) {
    const head = Buffer.concat([
      Buffer.from([3]),
      Buffer.from(tags.cover.mime, 'latin1'),
      Buffer.from([0, 3]),
      utf8('cover'),
      Buffer.from([0]),
    ]);
    frames.push(id3Frame('APIC', Buffer.concat([head, tags.cover.data])));
  }
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(body.length), body]);
}

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo, no CRC: 417-byte frames of 1152 samples. */
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x00];
const MP3_FRAME_BYTES = 417;

/**
 * An MP3 of `frames` silent frames (~26 ms each) behind an ID3v2.4 tag. `seed` goes into
 * the frame payload so otherwise identical files still hash differently.
 */
export function mp3File(tags: FixtureTags, options: { frames?: number; seed?: number } = {}): Buffer {
  const frames = options.frames ?? 40;
  const audio = Buffer.alloc(frames * MP3_FRAME_BYTES);
  for (let i = 0; i < frames; i++) {
    const offset = i * MP3_FRAME_BYTES;
    audio.set(MP3_FRAME_HEADER, offset);
    audio.writeUInt32BE((options.seed ?? 0) >>> 0, offset + 40);
  }
  return Buffer.concat([id3v2(tags), audio]);
}

/** Duration in ms of an `mp3File` with `frames` frames. */
export const mp3DurationMs = (frames: number) => Math.round(((frames * 1152) / 44_100) * 1000);

function flacBlock(type: number, data: Buffer, last: boolean): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length, 0);
  header[0] = (last ? 0x80 : 0) | type;
  return Buffer.concat([header, data]);
}

function streamInfo(sampleRate: number, totalSamples: number): Buffer {
  const block = Buffer.alloc(34);
  block.writeUInt16BE(4096, 0);
  block.writeUInt16BE(4096, 2);
  // 20 bits sample rate | 3 bits channels-1 (stereo) | 5 bits bits-per-sample-1 (16) | 36 bits samples
  const packed = (BigInt(sampleRate) << 44n) | (1n << 41n) | (15n << 36n) | BigInt(totalSamples);
  block.writeBigUInt64BE(packed, 10);
  return block;
}

function vorbisComments(tags: FixtureTags): Buffer {
  const entries: string[] = [];
  const add = (key: string, value: string | number | undefined) => {
    if (value !== undefined) entries.push(`${key}=${value}`);
  };
  add('TITLE', tags.title);
  for (const artist of tags.artists ?? []) add('ARTIST', artist);
  add('ALBUM', tags.album);
  add('ALBUMARTIST', tags.albumArtist);
  add('TRACKNUMBER', tags.track);
  add('TRACKTOTAL', tags.trackTotal);
  add('DISCNUMBER', tags.disc);
  add('DATE', tags.year);
  add('GENRE', tags.genre);
  const vendor = utf8('alktunes fixtures');
  const parts: Buffer[] = [Buffer.alloc(4), vendor, Buffer.alloc(4)];
  parts[0]!.writeUInt32LE(vendor.length);
  parts[2]!.writeUInt32LE(entries.length);
  for (const entry of entries) {
    const bytes = utf8(entry);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

function flacPicture(cover: NonNullable<FixtureTags['cover']>): Buffer {
  const u32 = (value: number) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value);
    return out;
  };
  const mime = Buffer.from(cover.mime, 'latin1');
  return Buffer.concat([
    u32(3),
    u32(mime.length),
    mime,
    u32(0),
    u32(1),
    u32(1),
    u32(24),
    u32(0),
    u32(cover.data.length),
    Buffer.from(cover.data),
  ]);
}

/** A FLAC stream header with Vorbis comments (no audio frames; the duration comes from STREAMINFO). */
export function flacFile(tags: FixtureTags, options: { seconds?: number; seed?: number } = {}): Buffer {
  const sampleRate = 44_100;
  const padding = Buffer.alloc(16);
  padding.writeUInt32BE((options.seed ?? 0) >>> 0);
  const blocks = [
    flacBlock(0, streamInfo(sampleRate, Math.round((options.seconds ?? 2) * sampleRate)), false),
    flacBlock(4, vorbisComments(tags), false),
  ];
  if (tags.cover) blocks.push(flacBlock(6, flacPicture(tags.cover), false));
  blocks.push(flacBlock(1, padding, true));
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), ...blocks]);
}

/** An untagged mono 16-bit WAV of a quiet tone. */
export function wavFile(seconds: number, hz = 440): Uint8Array {
  const rate = 8000;
  const pcm = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 3000);
  return encodeWav(pcm, rate);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 RGB PNG of the given colour. */
export function pngImage(rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, ...rgb]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
