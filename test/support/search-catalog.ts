import { createHash } from 'node:crypto';
import type { TrackRecord } from '../../backend/domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../../backend/domain/ids';
import { seededRandom } from './random';

// Onsets and rhymes combine into ~400 syllables, so coined words spread over their first letters like real ones.
const onsets = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'r', 's', 'st', 't', 'tr', 'v', 'w', 'z'];
const rhymes = ['a', 'e', 'i', 'o', 'u', 'an', 'el', 'in', 'or', 'us', 'ar', 'en', 'il', 'on', 'ay', 'ea'];
const syllables = onsets.flatMap((onset) => rhymes.map((rhyme) => onset + rhyme));
const words = [
  'midnight', 'river', 'echo', 'golden', 'static', 'harbor', 'velvet', 'signal', 'winter', 'lantern', 'paper', 'electric',
  'silver', 'hollow', 'garden', 'thunder', 'orbit', 'crimson', 'meadow', 'glass', 'shadow', 'summer', 'canyon', 'neon',
  'ember', 'tide', 'marble', 'cathedral', 'satellite', 'horizon', 'wildfire', 'ocean', 'falcon', 'mirror', 'copper', 'ghost',
];

/** Real-world names with accents, ligatures and punctuation, mixed into every generated catalog. */
export const landmarks = [
  { artist: 'Beyoncé', album: 'Lemonade', title: 'Formation' },
  { artist: 'Sigur Rós', album: 'Ágætis byrjun', title: 'Svefn-g-englar' },
  { artist: 'Björk', album: 'Homogenic', title: 'Jóga' },
  { artist: 'Motörhead', album: 'Ace of Spades', title: 'Love Me Like a Reptile' },
  { artist: 'AC/DC', album: 'Back in Black', title: "Hells Bells" },
  { artist: 'Måneskin', album: 'Teatro d’ira', title: 'Zitti e buoni' },
] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * A title vocabulary shaped like real ones: a few thousand words with a Zipf-like spread, so a
 * common word appears in a few percent of titles rather than in one of every ten.
 */
function vocabulary(random: () => number): string[] {
  const coined = Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(random, syllables)).join(''));
  return [...words, ...coined];
}

function zipfPick(random: () => number, items: readonly string[]): string {
  // rank = n·u²: the most common word is in a few percent of titles, the tail is long.
  return items[Math.floor(items.length * random() ** 2)]!;
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

let lexicon: string[] | undefined;

function phrase(random: () => number, min: number, max: number): string {
  lexicon ??= vocabulary(seededRandom(99));
  const count = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length: count }, () => capital(zipfPick(random, lexicon!))).join(' ');
}

function artistName(random: () => number, n: number): string {
  const name = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(random, syllables)).join('');
  // A numeric suffix keeps generated names unique without making them unrealistic to type.
  return `${capital(name)} ${capital(pick(random, syllables))}${pick(random, syllables)}${n}`;
}

function record(artist: string, album: string, title: string, trackNumber: number, year: number): TrackRecord {
  const contentHash = createHash('sha256').update(`${artist}\u0000${album}\u0000${title}\u0000${trackNumber}`).digest('hex');
  return {
    id: trackIdFor(contentHash),
    title,
    artist,
    artistId: artistIdFor(artist),
    album,
    albumId: albumIdFor(artist, album),
    trackNumber,
    discNumber: 1,
    durationMs: 120_000 + trackNumber * 1000,
    genre: 'Test',
    year,
    audioKey: `audio/${contentHash}.wav`,
    contentType: 'audio/wav',
    coverKey: `covers/${albumIdFor(artist, album)}.svg`,
    contentHash,
  };
}

/**
 * A reproducible catalog of about `trackCount` tracks (10 per album, 2 albums per artist),
 * always including the `landmarks`. The same seed gives the same catalog.
 */
export function generateCatalog(trackCount: number, seed = 1): TrackRecord[] {
  const random = seededRandom(seed);
  const tracks: TrackRecord[] = [];
  for (const [i, landmark] of landmarks.entries()) {
    tracks.push(record(landmark.artist, landmark.album, landmark.title, 1, 1990 + i));
    tracks.push(record(landmark.artist, landmark.album, phrase(random, 1, 3), 2, 1990 + i));
  }
  for (let a = 0; tracks.length < trackCount; a++) {
    const artist = artistName(random, a);
    for (let al = 0; al < 2 && tracks.length < trackCount; al++) {
      const album = phrase(random, 1, 3);
      const year = 1960 + Math.floor(random() * 65);
      for (let t = 1; t <= 10 && tracks.length < trackCount; t++) tracks.push(record(artist, album, phrase(random, 1, 4), t, year));
    }
  }
  return tracks;
}
