import type { Options, SearchOptions } from 'minisearch';
import type { SearchField } from '../../../domain/search';
import { searchTerms } from '../../../domain/search-text';

/** A document of one of the three MiniSearch indexes; only text and the id are indexed. */
export interface TextDoc {
  id: string;
  title?: string;
  artist?: string;
  album?: string;
}

export type IndexKind = 'tracks' | 'albums' | 'artists';

/** Which fields each kind has (an album's `album` is its name, an artist's `artist` its name). */
export const kindFields: Record<IndexKind, (keyof TextDoc)[]> = {
  tracks: ['title', 'artist', 'album'],
  albums: ['album', 'artist'],
  artists: ['artist'],
};

/** Same words as the CloudSearch adapter: folded case and accents, no punctuation. */
export const indexOptions = (kind: IndexKind): Options<TextDoc> => ({
  fields: kindFields[kind],
  tokenize: searchTerms,
  processTerm: (term) => term,
  autoVacuum: true,
});

/** The fields a `field` query searches per kind, with boosts; absent when the kind is not searched. */
const fieldBoosts: Record<SearchField, Partial<Record<IndexKind, Partial<Record<keyof TextDoc, number>>>>> = {
  all: { tracks: { title: 3, artist: 2, album: 1 }, albums: { album: 3, artist: 1.5 }, artists: { artist: 1 } },
  track: { tracks: { title: 1 } },
  album: { tracks: { album: 1 }, albums: { album: 1 } },
  artist: { tracks: { artist: 1 }, albums: { artist: 1 }, artists: { artist: 1 } },
};

export const boostsFor = (field: SearchField, kind: IndexKind) => fieldBoosts[field][kind];

/**
 * Search-as-you-type: the last term (the word being typed), from two letters, also matches as
 * a prefix — earlier words are complete, and expanding them too costs several times more on a
 * large catalog for no better hits. Terms of
 * four or more letters tolerate one typo (two cost ~3× more on 100,000 tracks and mostly add
 * noise). All terms must match, each in any of the searched fields.
 */
export function searchOptions(boost: Partial<Record<keyof TextDoc, number>>): SearchOptions {
  return {
    fields: Object.keys(boost),
    boost,
    tokenize: searchTerms,
    processTerm: (term) => term,
    prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
    fuzzy: (term) => (term.length >= 4 ? 1 : false),
    maxFuzzy: 1,
    combineWith: 'AND',
  };
}
