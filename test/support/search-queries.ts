import type { TrackRecord } from '../../backend/domain/catalog';
import type { SearchHits } from '../../backend/domain/search';
import type { SearchKind } from '../../backend/domain/search-ranking';
import { foldCase, foldName, searchTerms } from '../../backend/domain/search-text';
import { typoDistance } from '../../backend/domain/search-typos';
import { seededRandom } from './random';

/**
 * What people type into a search box, as reproducible query classes drawn from a catalog, each
 * with the item it is meant to find. How each class is judged:
 *
 * - `exact`: a name as it is written → the intended item's rank among its kind.
 * - `title word`: one distinctive word of a title (its rarest word of 4+ letters) → the rank of
 *   the first track whose title has that word (any such track answers the query).
 * - `prefix`: a name of 2+ words with its last word cut to 3 letters, as while typing.
 * - `substitution`, `insertion`, `deletion`, `transposition`: one slip of that kind at a random
 *   position of a random word of 4+ letters (a letter of the word's own script; words in
 *   Chinese or Japanese script, typed through an input method, get none). Slips that spell
 *   another word of the catalog are redrawn: "live" for "love" is a different query, not a typo
 *   any engine could see.
 * - `wrong word`: a name of 3+ words with one of its words of 4+ letters replaced by another
 *   word of the catalog, of the same script and not within two edits of it, common words
 *   more often than rare ones (`replacementWord`).
 * - `accent-free`: a name with accents or ligatures, typed in plain lower-case letters.
 *
 * Except for `title word`, the intended item has a name no other item of its kind shares (case
 * and accents aside), so "found" is well defined; success is the intended item in the top 1, 3
 * or 10 of its kind (`rankOf`).
 */
export const queryClasses = [
  'exact',
  'title word',
  'prefix',
  'substitution',
  'insertion',
  'deletion',
  'transposition',
  'wrong word',
  'accent-free',
] as const;
export type QueryClass = (typeof queryClasses)[number];
export type TypoKind = Extract<QueryClass, 'substitution' | 'insertion' | 'deletion' | 'transposition'>;
export const typoKinds = ['substitution', 'insertion', 'deletion', 'transposition'] as const satisfies readonly TypoKind[];

export interface ClassQuery {
  class: QueryClass;
  text: string;
  kind: SearchKind;
  /** The intended item; for `title word`, any track whose title has `word`. */
  id: string;
  /** The intended item's name as the catalog has it. */
  name: string;
  /** `title word` only: the folded word a track's title must have. */
  word?: string;
}

export interface CatalogItem {
  kind: SearchKind;
  id: string;
  name: string;
}

const alphabets = { latin: 'abcdefghijklmnopqrstuvwxyz', cyrillic: 'абвгдежзийклмнопрстуфхцчшщыьэюя', greek: 'αβγδεζηθικλμνξοπρστυφχψω' };
type Script = keyof typeof alphabets | 'other';
/** The script of a word's letters, as far as slips go. */
const scriptOf = (word: string): Script =>
  /^\p{Script=Latin}+$/u.test(word)
    ? 'latin'
    : /^\p{Script=Cyrillic}+$/u.test(word)
      ? 'cyrillic'
      : /^\p{Script=Greek}+$/u.test(word)
        ? 'greek'
        : 'other';
const isWord = (token: string) => /^\p{L}+$/u.test(token);
/** A word that can carry a slip: letters of one alphabetic script, four or more once folded. */
export const slippable = (token: string) => isWord(token) && scriptOf(token) !== 'other' && foldCase(token).length >= 4;

/** One slip of `kind` at a random position of a `slippable` word, with letters of its script (the result may be any case). */
export function typo(word: string, kind: TypoKind, random: () => number): string {
  const chars = [...word];
  const at = Math.floor(random() * chars.length);
  const script = scriptOf(word);
  const letters = alphabets[script === 'other' ? 'latin' : script];
  const letter = () => letters[Math.floor(random() * letters.length)]!;
  switch (kind) {
    case 'substitution': {
      let replacement = letter();
      while (replacement === foldCase(chars[at]!)) replacement = letter();
      chars[at] = replacement;
      break;
    }
    case 'insertion':
      chars.splice(Math.floor(random() * (chars.length + 1)), 0, letter());
      break;
    case 'deletion':
      chars.splice(at, 1);
      break;
    case 'transposition': {
      const swappable = chars.slice(0, -1).flatMap((c, i) => (foldCase(c) !== foldCase(chars[i + 1]!) ? [i] : []));
      if (!swappable.length) return word;
      const i = swappable[Math.floor(random() * swappable.length)]!;
      [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      break;
    }
  }
  return chars.join('');
}

/** Tracks, albums and artists of a catalog, each once. */
export function catalogItems(catalog: readonly TrackRecord[]): CatalogItem[] {
  const items = new Map<string, CatalogItem>();
  for (const t of catalog) {
    items.set(t.id, { kind: 'track', id: t.id, name: t.title });
    if (!items.has(t.albumId)) items.set(t.albumId, { kind: 'album', id: t.albumId, name: t.album });
    if (!items.has(t.artistId)) items.set(t.artistId, { kind: 'artist', id: t.artistId, name: t.artist });
  }
  return [...items.values()];
}

/** The items whose name no other item of their kind shares, case and accents aside. */
export function uniquelyNamed(items: readonly CatalogItem[]): CatalogItem[] {
  const owners = new Map<string, number>();
  const key = (item: CatalogItem) => `${item.kind}\u0000${foldName(item.name)}`;
  for (const item of items) owners.set(key(item), (owners.get(key(item)) ?? 0) + 1);
  return items.filter((item) => owners.get(key(item)) === 1 && foldName(item.name) !== '');
}

/** Every occurrence of a folded word of 4+ letters in the catalog's names: drawing from it favours common words, as people's wrong words do. */
export function wordOccurrences(catalog: readonly TrackRecord[]): string[] {
  return catalog.flatMap((t) => [t.title, t.artist, t.album].flatMap(searchTerms)).filter((w) => w.length >= 4 && isWord(w));
}

/**
 * A word of the catalog to put in place of a name's word `replaced`: the same script, not one of
 * the name's `own` words, not within two edits of `replaced` (that would be a typo, not a wrong
 * word). Undefined when a few draws find none.
 */
export function replacementWord(
  random: () => number,
  occurrences: readonly string[],
  replaced: string,
  own: readonly string[],
): string | undefined {
  const folded = foldCase(replaced);
  for (let attempt = 0; attempt < 50; attempt++) {
    const word = occurrences[Math.floor(random() * occurrences.length)]!;
    if (scriptOf(word) === scriptOf(folded) && !own.includes(word) && typoDistance(word, folded, 2) > 2) return word;
  }
  return undefined;
}

/**
 * `perClass` queries of every class from `catalog`, the same for the same seed. Kinds take turns
 * (artist, album, track) in every class but `title word`.
 */
export function generateQueries(catalog: readonly TrackRecord[], perClass: number, seed = 7): ClassQuery[] {
  const random = seededRandom(seed);
  const items = catalogItems(catalog);
  const unique = uniquelyNamed(items);
  const vocabulary = new Set(items.flatMap((item) => searchTerms(item.name)));
  const occurrences = wordOccurrences(catalog);
  const kinds: SearchKind[] = ['artist', 'album', 'track'];
  const pools = new Map<string, CatalogItem[]>();
  const draw = (name: string, kind: SearchKind, fits: (item: CatalogItem) => boolean): CatalogItem | undefined => {
    const key = `${name}:${kind}`;
    if (!pools.has(key))
      pools.set(
        key,
        unique.filter((item) => item.kind === kind && fits(item)),
      );
    const pool = pools.get(key)!;
    return pool.length ? pool[Math.floor(random() * pool.length)] : undefined;
  };
  const tokens = (name: string) => name.split(' ');
  const queries: ClassQuery[] = [];
  const add = (cls: QueryClass, item: CatalogItem, text: string) =>
    queries.push({ class: cls, text, kind: item.kind, id: item.id, name: item.name });

  for (let i = 0; i < perClass; i++) {
    const kind = kinds[i % kinds.length]!;
    const exact = draw('exact', kind, () => true);
    if (exact) add('exact', exact, exact.name);

    const prefixed = draw(
      'prefix',
      kind,
      (item) => tokens(item.name).length >= 2 && isWord(tokens(item.name).at(-1)!) && [...tokens(item.name).at(-1)!].length > 3,
    );
    if (prefixed)
      add('prefix', prefixed, [...tokens(prefixed.name).slice(0, -1), [...tokens(prefixed.name).at(-1)!].slice(0, 3).join('')].join(' '));

    for (const slip of typoKinds) {
      const item = draw('typo', kind, (it) => tokens(it.name).some(slippable));
      if (!item) continue;
      const parts = tokens(item.name);
      const candidates = parts.flatMap((t, at) => (slippable(t) ? [at] : []));
      for (let attempt = 0; attempt < 20; attempt++) {
        const at = candidates[Math.floor(random() * candidates.length)]!;
        const slipped = typo(parts[at]!, slip, random);
        if (foldCase(slipped) === foldCase(parts[at]!) || vocabulary.has(foldCase(slipped))) continue;
        add(slip, item, parts.map((t, j) => (j === at ? slipped : t)).join(' '));
        break;
      }
    }

    const long = draw(
      'wrong word',
      kind,
      (item) => searchTerms(item.name).length >= 3 && tokens(item.name).length >= 3 && tokens(item.name).some(slippable),
    );
    if (long) {
      const parts = tokens(long.name);
      const replaceable = parts.flatMap((t, at) => (slippable(t) ? [at] : []));
      const at = replaceable[Math.floor(random() * replaceable.length)]!;
      const replacement = replacementWord(random, occurrences, parts[at]!, searchTerms(long.name));
      if (replacement)
        add('wrong word', long, parts.map((t, j) => (j === at ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : t)).join(' '));
    }

    const accented = draw('accent-free', kind, (item) => foldCase(item.name) !== item.name.toLowerCase());
    if (accented) add('accent-free', accented, foldCase(accented.name));

    const track = catalog[Math.floor(random() * catalog.length)]!;
    const word = distinctiveWord(track.title, titleWordCounts(catalog));
    if (word) queries.push({ class: 'title word', text: word, kind: 'track', id: track.id, name: track.title, word: foldCase(word) });
  }
  return queries;
}

const wordCounts = new WeakMap<readonly TrackRecord[], Map<string, number>>();
/** How many titles each folded word is in. */
function titleWordCounts(catalog: readonly TrackRecord[]): Map<string, number> {
  let counts = wordCounts.get(catalog);
  if (!counts) {
    counts = new Map();
    for (const t of catalog) for (const w of new Set(searchTerms(t.title))) counts.set(w, (counts.get(w) ?? 0) + 1);
    wordCounts.set(catalog, counts);
  }
  return counts;
}

/** The word of a title (as written, 4+ letters, decorations such as "(feat. …)" left out) that the fewest titles share. */
function distinctiveWord(title: string, counts: ReadonlyMap<string, number>): string | undefined {
  const words = title
    .replace(/ [(-].*$/, '')
    .split(' ')
    .filter((w) => isWord(w) && foldCase(w).length >= 4);
  words.sort((a, b) => (counts.get(foldCase(a)) ?? 0) - (counts.get(foldCase(b)) ?? 0));
  return words[0];
}

/** Where the query's intended item ranks among the hits of its kind (1-based), or undefined when absent. */
export function rankOf(query: ClassQuery, results: Pick<SearchHits, 'tracks' | 'albums' | 'artists'>): number | undefined {
  const hits: readonly { id: string; title?: string }[] =
    query.kind === 'track' ? results.tracks : query.kind === 'album' ? results.albums : results.artists;
  const index =
    query.word !== undefined
      ? hits.findIndex((hit) => searchTerms(hit.title ?? '').includes(query.word!))
      : hits.findIndex((hit) => hit.id === query.id);
  return index < 0 ? undefined : index + 1;
}
