import type { SearchCommandInput } from '@aws-sdk/client-cloudsearch-domain';
import type { SearchField } from '../../../domain/search';
import { queryTerms } from '../../../domain/search-text';
import type { DocKind } from './documents';

/** Fields (with boosts) searched per kind for each `field` of the API; absent = kind not searched. */
const fieldsByKind: Record<SearchField, Partial<Record<DocKind, string[]>>> = {
  all: { track: ['title^3', 'artist^2', 'album'], album: ['album^3', 'artist^1.5'], artist: ['artist'] },
  track: { track: ['title'] },
  album: { track: ['album'], album: ['album'] },
  artist: { track: ['artist'], album: ['artist'], artist: ['artist'] },
};

export const searchedFields = (field: SearchField, kind: DocKind) => fieldsByKind[field][kind];

/**
 * Escapes a value for a single-quoted string of the structured syntax (`fq`, `q.parser=structured`).
 * Only `\` and `'` are special inside quotes.
 */
export const quoteStructured = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * One term of the simple parser, as the embedded adapter matches it: the last term (being
 * typed) also as a prefix (`bey*`), and from four letters on with one typo (`beyonse~1`).
 * Terms come from `queryTerms`, letters and digits only, so no user input can reach the query
 * as syntax.
 */
export function simpleTerm(term: string, last: boolean): string {
  const prefix = last && term.length >= 2;
  if (term.length < 4) return prefix ? `${term}*` : term;
  return prefix ? `(${term}* | ${term}~1)` : `(${term} | ${term}~1)`;
}

/** The simple-parser query for a text: every term must match (see `q.options`). */
export function simpleQuery(text: string): string {
  const terms = queryTerms(text);
  return terms.map((term, i) => simpleTerm(term, i === terms.length - 1)).join(' ');
}

/**
 * The request for one kind of hit. `size` over-fetches so exact names beyond CloudSearch's own
 * top `size` still get re-ranked to the top (as the embedded adapter does).
 */
export function searchRequest(text: string, kind: DocKind, fields: string[], size: number, returnFields = 'doc'): SearchCommandInput {
  return {
    query: simpleQuery(text),
    queryParser: 'simple',
    queryOptions: JSON.stringify({ fields, defaultOperator: 'and' }),
    filterQuery: `kind:${quoteStructured(kind)}`,
    size,
    start: 0,
    return: returnFields,
  };
}

/** The three suggesters of the domain (`<field>_suggest`) and the kind each one should yield. */
export const suggesters: { name: string; kind: DocKind }[] = [
  { name: 'artist_suggest', kind: 'artist' },
  { name: 'album_suggest', kind: 'album' },
  { name: 'title_suggest', kind: 'track' },
];
