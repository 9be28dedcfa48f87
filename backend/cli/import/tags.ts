import type { TrackRecord } from '../../domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../../domain/ids';
import { namesFromPath } from './path-names';

/** The tag fields the import reads (a subset of music-metadata's `common`). */
export interface ProbedTags {
  title?: string;
  artist?: string;
  artists?: string[];
  album?: string;
  albumartist?: string;
  track?: { no: number | null };
  disk?: { no: number | null };
  year?: number;
  date?: string;
  genre?: string[];
}

/** The stream facts the import reads (a subset of music-metadata's `format`). */
export interface ProbedFormat {
  duration?: number;
  bitrate?: number;
  codec?: string;
}

/** Everything known about a track before its media is stored. */
export interface TrackDraft {
  title: string;
  artist: string;
  album: string;
  /** Scopes the album id, so two artists' albums of the same name stay apart. */
  albumArtist: string;
  trackNumber?: number;
  discNumber?: number;
  year?: number;
  genre?: string;
  durationMs: number;
  bitrate?: number;
  codec?: string;
  /** Fields taken from the file and folder names because the tags lacked them. */
  fromPath: string[];
}

export const UNKNOWN_ARTIST = 'Unknown Artist';
export const UNKNOWN_ALBUM = 'Unknown Album';
const MAX_TEXT = 256;

/** Tag text made safe to store and show: NFC, no control or zero-width characters, single spaces, bounded length. */
export function cleanText(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .normalize('NFC')
    .replace(/[\p{Cc}\u200b-\u200d\u2060\ufeff]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return text ? [...text].slice(0, MAX_TEXT).join('') : undefined;
}

const positive = (value: number | null | undefined, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max ? value : undefined;

function yearOf(tags: ProbedTags): number | undefined {
  const year = tags.year ?? Number(/\b(\d{4})\b/.exec(tags.date ?? '')?.[1]);
  return Number.isInteger(year) && year >= 1000 && year <= 2100 ? year : undefined;
}

/** Several artists read as one credit (`A, B`); a single `artist` tag wins when it says more. */
function artistOf(tags: ProbedTags): string | undefined {
  const artists = (tags.artists ?? []).map(cleanText).filter((a): a is string => !!a);
  const artist = cleanText(tags.artist);
  if (artists.length > 1 && (!artist || artist === artists[0])) return artists.join(', ');
  return artist ?? artists[0];
}

/**
 * Maps tags to a track, falling back to what the file and folder names say
 * (`pathSegments`: the import root's name, then the file's path below it).
 */
export function draftTrack(tags: ProbedTags, format: ProbedFormat, pathSegments: readonly string[]): TrackDraft {
  const fromPath: string[] = [];
  const guessed = namesFromPath(pathSegments.map((segment) => cleanText(segment) ?? segment));
  function pick<T>(field: string, tagged: T | undefined, fallback: T | undefined): T | undefined {
    if (tagged !== undefined) return tagged;
    if (fallback !== undefined) fromPath.push(field);
    return fallback;
  }

  const taggedArtist = artistOf(tags);
  const title = pick('title', cleanText(tags.title), cleanText(guessed.title))!;
  const artist = pick('artist', taggedArtist, cleanText(guessed.artist)) ?? cleanText(tags.albumartist) ?? UNKNOWN_ARTIST;
  const album = pick('album', cleanText(tags.album), cleanText(guessed.album)) ?? UNKNOWN_ALBUM;
  const genre = (tags.genre ?? []).map(cleanText).find((g) => !!g);
  const trackNumber = pick('trackNumber', positive(tags.track?.no, 9999), guessed.trackNumber);
  const discNumber = pick('discNumber', positive(tags.disk?.no, 999), guessed.discNumber);
  const year = pick('year', yearOf(tags), guessed.year);

  return {
    title,
    artist,
    album,
    albumArtist: cleanText(tags.albumartist) ?? artist,
    ...(trackNumber !== undefined ? { trackNumber } : {}),
    ...(discNumber !== undefined ? { discNumber } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(genre ? { genre } : {}),
    durationMs: Math.round((format.duration ?? 0) * 1000),
    ...(format.bitrate ? { bitrate: Math.round(format.bitrate) } : {}),
    ...(format.codec ? { codec: format.codec } : {}),
    fromPath,
  };
}

/** Where a track's media was stored. */
export interface StoredMedia {
  contentHash: string;
  audioKey: string;
  contentType: string;
  coverKey?: string;
}

/** The catalog record of a drafted track; ids follow `domain/ids` so re-imports land on the same items. */
export function toTrackRecord(draft: TrackDraft, media: StoredMedia): TrackRecord {
  return {
    id: trackIdFor(media.contentHash),
    title: draft.title,
    artist: draft.artist,
    artistId: artistIdFor(draft.artist),
    album: draft.album,
    albumId: albumIdFor(draft.albumArtist, draft.album),
    ...(draft.trackNumber !== undefined ? { trackNumber: draft.trackNumber } : {}),
    ...(draft.discNumber !== undefined ? { discNumber: draft.discNumber } : {}),
    durationMs: draft.durationMs,
    ...(draft.genre !== undefined ? { genre: draft.genre } : {}),
    ...(draft.year !== undefined ? { year: draft.year } : {}),
    audioKey: media.audioKey,
    contentType: media.contentType,
    ...(media.coverKey !== undefined ? { coverKey: media.coverKey } : {}),
    contentHash: media.contentHash,
  };
}
