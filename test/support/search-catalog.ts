import { createHash } from 'node:crypto';
import type { TrackRecord } from '../../backend/domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../../backend/domain/ids';
import { seededRandom } from './random';
import { albumShapes, compilationNames, languages, numberTitles, titleSuffixes, type Language } from './search-names';

/** Real-world names with accents, ligatures and punctuation, mixed into every generated catalog. */
export const landmarks = [
  { artist: 'Beyoncé', album: 'Lemonade', title: 'Formation' },
  { artist: 'Sigur Rós', album: 'Ágætis byrjun', title: 'Svefn-g-englar' },
  { artist: 'Björk', album: 'Homogenic', title: 'Jóga' },
  { artist: 'Motörhead', album: 'Ace of Spades', title: 'Love Me Like a Reptile' },
  { artist: 'AC/DC', album: 'Back in Black', title: 'Hells Bells' },
  { artist: 'Måneskin', album: 'Teatro d’ira', title: 'Zitti e buoni' },
] as const;

/** The album artist of compilations; their tracks keep the artist who performs them. */
export const VARIOUS_ARTISTS = 'Various Artists';

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** rank = n·u²: the first words of a list are in a few percent of titles, the tail is long. */
const zipfPick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(items.length * random() ** 2)]!;
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// English is most of a typical library; the rest spreads over the other languages, a little
// of it in Cyrillic, Greek and Chinese or Japanese script.
const languageWeights = languages.map((language) => (language.code === 'en' ? 6 : ['ru', 'el', 'cjk'].includes(language.code) ? 0.4 : 1));
const weightTotal = languageWeights.reduce((a, b) => a + b, 0);
function pickLanguage(random: Random): Language {
  let r = random() * weightTotal;
  for (const [i, weight] of languageWeights.entries()) if ((r -= weight) < 0) return languages[i]!;
  return languages[0]!;
}

/** FNV-1a: a 32-bit seed from a text (a word's key, a test's name). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

// Coined words (band names, slang, made-up titles) are built like a language's rare words.
const onsets = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pl',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const rhymes = ['a', 'e', 'i', 'o', 'u', 'an', 'el', 'in', 'or', 'us', 'ar', 'en', 'il', 'on', 'ay', 'ea'];
const coinage = {
  code: 'coined',
  pieces: onsets.flatMap((onset) => rhymes.map((rhyme) => onset + rhyme)),
  endings: [],
  surnameEndings: [],
};

type WordSource = Pick<Language, 'code' | 'pieces' | 'endings' | 'surnameEndings' | 'unspaced'>;
const rareWords = new Map<string, string>();

/**
 * A word from the unbounded tail of a vocabulary: word number `rank` of a source is always the
 * same, and ranks follow a power law (a few rare words come back now and then, most appear once).
 * So the distinct words grow with the catalog as in real libraries (Heaps' law): about three times
 * the words for five times the tracks.
 */
function rareWord(random: Random, source: WordSource, surname = false): string {
  const rank = Math.floor(80 * (random() ** -2 - 1));
  const key = `${source.code}:${surname ? 'surname' : 'word'}:${rank}`;
  let found = rareWords.get(key);
  if (found === undefined) {
    const shape = seededRandom(seedOf(key));
    const count = (source.unspaced ? 2 : 1) + Math.floor(shape() * 2) + (surname ? 0 : 1);
    let text = Array.from({ length: count }, () => pick(shape, source.pieces)).join('');
    const endings = surname ? source.surnameEndings : source.endings;
    if (endings.length && (surname || shape() < 0.4)) text += pick(shape, endings);
    found = capital(text);
    rareWords.set(key, found);
  }
  return found;
}

const coined = (random: Random) => rareWord(random, coinage);

/** A title word of `language`, now and then a rare, English or coined one, as real titles mix them. */
function word(random: Random, language: Language): string {
  const r = random();
  // Latin words among Chinese or Japanese ones would run into them: those titles keep to their script.
  if (r < 0.05 && !language.unspaced) return coined(random);
  if (r < 0.15 && !language.unspaced) return zipfPick(random, languages[0]!.words);
  if (r < 0.4) return rareWord(random, language);
  return zipfPick(random, language.words);
}

/** One to four words, sometimes joined by the language's little words ("Heart of Gold", "Le Cœur de la Nuit", "君の名"). */
function phrase(random: Random, language: Language, maxWords = 4): string {
  const r = random();
  const parts =
    r < 0.3
      ? [word(random, language)]
      : r < 0.6
        ? [word(random, language), word(random, language)]
        : r < 0.78
          ? [word(random, language), pick(random, language.joins), word(random, language)]
          : r < 0.88
            ? [capital(language.joins[Math.floor(random() * 2)]!), word(random, language)]
            : [word(random, language), word(random, language), word(random, language), word(random, language)].slice(
                0,
                Math.min(maxWords, 3 + Math.floor(random() * 2)),
              );
  return parts.join(language.unspaced ? '' : ' ');
}

function title(random: Random, language: Language, guests: readonly string[]): string {
  const r = random();
  if (r < 0.015) return pick(random, numberTitles);
  let text = phrase(random, language);
  if (r < 0.09) text += pick(random, titleSuffixes);
  else if (r < 0.14 && guests.length) text += ` (feat. ${pick(random, guests)})`;
  return text;
}

const plural = (text: string) => (/s$/i.test(text) ? text : `${text}s`);

/** A given name, now and then a rare one; a family name, often a rare one. */
const givenName = (random: Random, language: Language) => (random() < 0.15 ? rareWord(random, language) : zipfPick(random, language.given));
const familyName = (random: Random, language: Language) =>
  random() < 0.6 ? rareWord(random, language, true) : zipfPick(random, language.family);

function personName(random: Random, language: Language): string {
  const given = givenName(random, language);
  const family = familyName(random, language);
  return language.unspaced ? family + given : `${given} ${family}`;
}

/** A person, a mononym, "The ... s", a two-word band or a coined name; the same name can come up twice. */
function artistName(random: Random, language: Language): string {
  const r = random();
  if (r < 0.45) return personName(random, language);
  if (r < 0.55) return random() < 0.5 ? givenName(random, language) : coined(random);
  if (r < 0.72 && language.bandArticle)
    return `${language.bandArticle} ${random() < 0.5 ? `${word(random, language)} ` : ''}${plural(word(random, language))}`;
  if (r < 0.9) return [word(random, language), word(random, language)].join(language.unspaced ? '' : ' ');
  return `${coined(random)} ${coined(random)}`;
}

function albumName(random: Random, language: Language, artist: string, titles: readonly string[]): string {
  const r = random();
  if (r < 0.05) return artist;
  if (r < 0.1) return pick(random, albumShapes);
  if (r < 0.25 && titles.length) return titles[0]!.replace(/ [(-].*$/, '');
  return phrase(random, language, 3);
}

interface TrackDraft {
  artist: string;
  albumArtist: string;
  album: string;
  title: string;
  trackNumber: number;
  year: number;
  genre: string;
}

const genres = ['Pop', 'Rock', 'Jazz', 'Electronic', 'Folk', 'Hip-Hop', 'Classical', 'Soul', 'Indie', 'Metal'];

/** Builds records, with ids cached per name: hashing is most of the cost of a large catalog. */
function recordMaker() {
  const artistIds = new Map<string, string>();
  const albumIds = new Map<string, string>();
  let serial = 0;
  return (draft: TrackDraft): TrackRecord => {
    const artistId = artistIds.get(draft.artist) ?? artistIdFor(draft.artist);
    artistIds.set(draft.artist, artistId);
    const albumKey = `${draft.albumArtist}\u0000${draft.album}`;
    const albumId = albumIds.get(albumKey) ?? albumIdFor(draft.albumArtist, draft.album);
    albumIds.set(albumKey, albumId);
    // The serial stands for the audio bytes: two recordings with the same tags are still two files.
    const contentHash = createHash('sha256')
      .update(`${serial++}\u0000${albumKey}\u0000${draft.title}\u0000${draft.trackNumber}`)
      .digest('hex');
    return {
      id: trackIdFor(contentHash),
      title: draft.title,
      artist: draft.artist,
      artistId,
      album: draft.album,
      albumId,
      trackNumber: draft.trackNumber,
      discNumber: 1,
      durationMs: 90_000 + ((draft.trackNumber * 7919 + serial * 104_729) % 330_000),
      genre: draft.genre,
      year: draft.year,
      audioKey: `audio/${contentHash}.wav`,
      contentType: 'audio/wav',
      coverKey: `covers/${albumId}.svg`,
      contentHash,
    };
  };
}

const landmarkNames = new Set(landmarks.map((l) => l.artist.toLowerCase()));

/**
 * A reproducible catalog of `trackCount` tagged tracks shaped like a real library, always
 * starting with the `landmarks` (two tracks each). Names come from several languages, with their
 * accents and ligatures, a few in Cyrillic, Greek, Chinese or Japanese script; the vocabulary
 * grows with the catalog (rare words, surnames, coined names: about 8,500 distinct words at
 * 20,000 tracks, 25,000 at 100,000); common title words (Love, Night, Heart…) repeat across
 * thousands of titles; some titles carry "(feat. …)", "(Remastered 2011)" or "Part II", some artist fields
 * "A feat. B" or "A & B"; artists have one to four albums (singles, EPs and full albums), some
 * self-titled; compilations under "Various Artists" gather tracks by many artists. Names repeat
 * as in real catalogs: tests that need "the intended item" choose items whose name is unique.
 * The same seed gives the same catalog.
 */
export function generateCatalog(trackCount: number, seed = 1): TrackRecord[] {
  const random = seededRandom(seed);
  const make = recordMaker();
  const tracks: TrackRecord[] = [];
  const add = (draft: TrackDraft) => tracks.length < trackCount && tracks.push(make(draft));
  for (const [i, landmark] of landmarks.entries()) {
    const base = { artist: landmark.artist, albumArtist: landmark.artist, album: landmark.album, year: 1990 + i, genre: 'Rock' };
    add({ ...base, title: landmark.title, trackNumber: 1 });
    add({ ...base, title: phrase(random, languages[0]!), trackNumber: 2 });
  }
  const performers: string[] = [];
  for (let a = 0; tracks.length < trackCount; a++) {
    if (a % 40 === 39 && performers.length > 20) addCompilation(random, performers, add);
    const language = pickLanguage(random);
    const artist = artistName(random, language);
    if (landmarkNames.has(artist.toLowerCase())) continue;
    const genre = pick(random, genres);
    const albumNames = new Set<string>();
    const albums = 1 + Math.floor(random() ** 1.5 * 4);
    for (let al = 0; al < albums && tracks.length < trackCount; al++) {
      const size = random();
      const count = size < 0.15 ? 1 + Math.floor(random() * 2) : size < 0.3 ? 4 + Math.floor(random() * 3) : 8 + Math.floor(random() * 7);
      const titles = Array.from({ length: count }, () => title(random, language, performers));
      const album = albumName(random, language, artist, titles);
      if (albumNames.has(album)) continue;
      albumNames.add(album);
      const year = 1960 + Math.floor(random() * 65);
      for (const [t, text] of titles.entries()) {
        const collaboration = random();
        const performer =
          collaboration < 0.02 && performers.length
            ? `${artist} feat. ${pick(random, performers)}`
            : collaboration < 0.03 && performers.length
              ? `${artist} & ${pick(random, performers)}`
              : artist;
        add({ artist: performer, albumArtist: artist, album, title: text, trackNumber: t + 1, year, genre });
      }
    }
    performers.push(artist);
  }
  return tracks;
}

function addCompilation(random: Random, performers: readonly string[], add: (draft: TrackDraft) => unknown) {
  const year = 1990 + Math.floor(random() * 35);
  const name = pick(random, compilationNames);
  const album = random() < 0.5 ? `${name} ${1 + Math.floor(random() * 40)}` : `${name} ${year}`;
  const count = 12 + Math.floor(random() * 9);
  for (let t = 1; t <= count; t++) {
    const artist = pick(random, performers);
    add({
      artist,
      albumArtist: VARIOUS_ARTISTS,
      album,
      title: title(random, pickLanguage(random), []),
      trackNumber: t,
      year,
      genre: 'Pop',
    });
  }
}
