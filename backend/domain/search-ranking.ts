import type { SearchField, SearchKind } from '../../shared/api';
import { foldName, queryTerms } from './search-text';
import { allowedEdits, typoDistance } from './search-typos';

/**
 * How both search adapters judge and order hits. An adapter finds candidates its own way (an
 * in-memory index, or a CloudSearch request); this module says how well each one answers the
 * query and in which order they come, so both rank alike:
 *
 *   more query words matched > fewer corrections > the name equals the query > the name starts
 *   with it > matched in weightier fields > played more > shorter name.
 */

/** What a hit is: the API's kinds. */
export type { SearchKind };
export type TextField = 'title' | 'artist' | 'album';

/** The fields a `field` query searches per kind, with their weights; absent when the kind is not searched. */
const fieldWeights: Record<SearchField, Partial<Record<SearchKind, Partial<Record<TextField, number>>>>> = {
  all: { track: { title: 3, artist: 2, album: 1 }, album: { album: 3, artist: 1.5 }, artist: { artist: 1 } },
  track: { track: { title: 1 } },
  album: { track: { album: 1 }, album: { album: 1 } },
  artist: { track: { artist: 1 }, album: { artist: 1 }, artist: { artist: 1 } },
};

export const searchedFields = (field: SearchField, kind: SearchKind) => fieldWeights[field][kind];

/** The texts that count as an item's name when the query is compared with it whole. */
export function nameFields(field: SearchField, kind: SearchKind): TextField[] {
  if (field === 'track') return ['title'];
  if (field === 'artist') return ['artist'];
  if (field === 'album') return ['album'];
  if (kind === 'track') return ['title', 'artist'];
  return kind === 'album' ? ['album', 'artist'] : ['artist'];
}

/** One word of a query, with how loosely it may match. */
export interface QueryTerm {
  text: string;
  position: number;
  /** The last word, being typed: it also matches the words it starts. */
  prefix: boolean;
  maxEdits: number;
}

/** The query's words: the last one (from two letters) as a prefix, typo tolerance by length. */
export function parseSearchQuery(text: string): QueryTerm[] {
  const terms = queryTerms(text);
  return terms.map((term, position) => ({
    text: term,
    position,
    prefix: position === terms.length - 1 && term.length >= 2,
    maxEdits: allowedEdits(term.length),
  }));
}

/**
 * A short word that found nothing exactly or by prefix gets one edit after all ("vih" → "vieh"),
 * from three letters: one edit away from a one- or two-letter word is nearly every short word.
 */
export const withShortWordEdits = (term: QueryTerm): QueryTerm =>
  term.text.length < 3 ? term : { ...term, maxEdits: Math.max(term.maxEdits, 1) };

/** Which catalog word answered a query word, and how. */
export interface TermMatch {
  word: string;
  edits: number;
  prefix: boolean;
}

/** How `word` answers `term`: exactly, as a prefix of it, or within the term's edits; undefined otherwise. */
export function matchTerm(term: QueryTerm, word: string): TermMatch | undefined {
  if (word === term.text) return { word, edits: 0, prefix: false };
  if (term.prefix && word.startsWith(term.text)) return { word, edits: 0, prefix: true };
  if (term.maxEdits === 0) return undefined;
  const edits = typoDistance(term.text, word, term.maxEdits);
  return edits <= term.maxEdits ? { word, edits, prefix: false } : undefined;
}

/** A text field of a candidate: its folded words (`searchTerms`) and its weight. */
export interface RankField {
  words: readonly string[];
  weight: number;
}

/** What ranking needs to know about a hit. */
export interface Candidate {
  id: string;
  fields: readonly RankField[];
  /** The folded words of each text that counts as its name. */
  names: readonly (readonly string[])[];
  /** Plays, once listening is recorded; 0 when unknown. */
  popularity?: number;
  /** Characters of its main name: shorter names win among equals. */
  nameLength: number;
}

export interface ItemMatch {
  /** Query words matched in any field. */
  coverage: number;
  /** Corrections summed over the matched words. */
  edits: number;
  /** 2: a name equals the (corrected) query; 1: a name starts with it; 0 otherwise. */
  tier: 0 | 1 | 2;
  /** Sum over the matched words of the weightiest field each matched in. */
  weight: number;
  /** Per query word, the catalog word that answered it. */
  terms: (TermMatch | undefined)[];
}

export type WordMatcher = (term: QueryTerm, word: string) => TermMatch | undefined;

const better = (a: TermMatch, b: TermMatch) => a.edits < b.edits || (a.edits === b.edits && !a.prefix && b.prefix);

/** The query as the catalog spells it: each corrected word replaced by the word it matched. */
const correctedWords = (terms: readonly QueryTerm[], matched: readonly (TermMatch | undefined)[]) =>
  terms.flatMap((term, i) => {
    const match = matched[i];
    if (!match) return [];
    return [match.edits > 0 ? match.word : term.text];
  });

/** How well a candidate answers the query; undefined when no word matched. */
export function matchCandidate(terms: readonly QueryTerm[], candidate: Candidate, match: WordMatcher = matchTerm): ItemMatch | undefined {
  let coverage = 0;
  let edits = 0;
  let weight = 0;
  const matched: (TermMatch | undefined)[] = [];
  for (const term of terms) {
    let best: TermMatch | undefined;
    let bestWeight = 0;
    for (const field of candidate.fields) {
      for (const word of field.words) {
        const found = match(term, word);
        if (!found) continue;
        if (!best || better(found, best) || (!better(best, found) && field.weight > bestWeight)) {
          best = found;
          bestWeight = field.weight;
        }
      }
    }
    matched.push(best);
    if (best) {
      coverage += 1;
      edits += best.edits;
      weight += bestWeight;
    }
  }
  if (coverage === 0) return undefined;
  let tier: 0 | 1 | 2 = 0;
  if (coverage === terms.length) {
    const wanted = correctedWords(terms, matched).join(' ');
    for (const name of candidate.names) {
      const text = name.join(' ');
      if (text === wanted) tier = 2;
      else if (tier === 0 && text.startsWith(wanted)) tier = 1;
    }
  }
  return { coverage, edits, tier, weight, terms: matched };
}

export interface Ranked {
  id: string;
  match: ItemMatch;
  popularity: number;
  nameLength: number;
}

export function compareMatches(a: Ranked, b: Ranked): number {
  return (
    b.match.coverage - a.match.coverage ||
    a.match.edits - b.match.edits ||
    b.match.tier - a.match.tier ||
    b.match.weight - a.match.weight ||
    b.popularity - a.popularity ||
    a.nameLength - b.nameLength ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface RankedItem<T> extends Ranked {
  item: T;
}

/**
 * Matches every item and orders them. Only the items matching the most query words stay: all
 * words when any item has them all, otherwise the best partial matches, never an empty page
 * for a query one slip away from a name. (Adapters apply the same rule across kinds: a kind
 * whose best hits match fewer words than another kind's shows nothing.)
 */
export function rankCandidates<T>(
  terms: readonly QueryTerm[],
  items: readonly T[],
  describe: (item: T) => Candidate,
  match: WordMatcher = matchTerm,
): RankedItem<T>[] {
  const ranked: RankedItem<T>[] = [];
  let bestCoverage = 0;
  for (const item of items) {
    const candidate = describe(item);
    const found = matchCandidate(terms, candidate, match);
    if (!found) continue;
    bestCoverage = Math.max(bestCoverage, found.coverage);
    ranked.push({ item, id: candidate.id, match: found, popularity: candidate.popularity ?? 0, nameLength: candidate.nameLength });
  }
  return ranked.filter((r) => r.match.coverage === bestCoverage).sort(compareMatches);
}

/**
 * "Did you mean": when a hit needed corrections or left query words unmatched, the query in the
 * catalog's own words (corrected words replaced, unmatched ones dropped). When one of the hit's
 * names spells that — or, while the last word is being typed, starts with it — the name as
 * displayed. Undefined when the query needed no help.
 */
export function didYouMean(terms: readonly QueryTerm[], match: ItemMatch, displayNames: readonly string[] = []): string | undefined {
  if (match.coverage === terms.length && match.edits === 0) return undefined;
  const text = correctedWords(terms, match.terms).join(' ');
  if (!text || text === terms.map((t) => t.text).join(' ')) return undefined;
  const typing = match.terms.at(-1)?.prefix === true;
  const named =
    displayNames.find((name) => foldName(name) === text) ??
    (typing ? displayNames.find((name) => foldName(name).startsWith(text)) : undefined);
  return named ?? text;
}

/** A kind's best hit on the first page, with the names it is displayed with. */
export interface BestHit extends Ranked {
  names: readonly string[];
}

const noWorse = (hit: Ranked, than: Ranked | undefined) =>
  !than || hit.match.coverage > than.match.coverage || (hit.match.coverage === than.match.coverage && hit.match.edits <= than.match.edits);

/**
 * What the first page shows above the groups, from each kind's best hit:
 * - `top`: the artist when its name is the (corrected) query and it needed no more help than
 *   the best track, else the album likewise, else the best track;
 * - `didYouMean`, the words of the top hit (or of the best hit of any kind when there is none),
 *   spelled as one of the best hits' names displays them when one does.
 */
export function searchGuidance(
  terms: readonly QueryTerm[],
  best: Partial<Record<SearchKind, BestHit>>,
): { didYouMean?: string; top?: { kind: SearchKind; id: string } } {
  let top: { kind: SearchKind; hit: BestHit } | undefined;
  for (const kind of ['artist', 'album'] as const) {
    const hit = best[kind];
    if (hit?.match.tier === 2 && noWorse(hit, best.track)) {
      top = { kind, hit };
      break;
    }
  }
  if (!top && best.track) top = { kind: 'track', hit: best.track };
  const focus = top?.hit ?? Object.values(best).sort(compareMatches)[0];
  // Spelled as the catalog displays it: the focus's names first, then the other kinds' best hits'.
  const names = [...(focus?.names ?? []), ...Object.values(best).flatMap((hit) => hit.names)];
  const suggestion = focus && didYouMean(terms, focus.match, names);
  return { ...(suggestion ? { didYouMean: suggestion } : {}), ...(top ? { top: { kind: top.kind, id: top.hit.id } } : {}) };
}
