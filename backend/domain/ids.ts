import { createHash } from 'node:crypto';

// Every id the API hands out matches the API's pattern.
export { ID_PATTERN } from '../../shared/api/ids';

/** Case-, accent- and spacing-insensitive form of a name, used to derive stable ids. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);
}

/** Stable id of an artist: the same name always maps to the same id. */
export const artistIdFor = (artist: string) => `ar_${shortHash(normalizeName(artist))}`;

/** Stable id of an album, scoped by its album artist. */
export const albumIdFor = (albumArtist: string, album: string) => `al_${shortHash(normalizeName(albumArtist), normalizeName(album))}`;

/** Stable id of a track, derived from its audio content hash. */
export const trackIdFor = (contentHash: string) => `tr_${contentHash.slice(0, 24)}`;
