import type { SearchCommandInput } from '@aws-sdk/client-cloudsearch-domain';
import type { SearchField } from '../../../domain/search';
import { searchedFields, type QueryTerm, type SearchKind, type TextField } from '../../../domain/search-ranking';
import { transpositions } from '../../../domain/search-typos';
import { wordsField } from './documents';

/**
 * Escapes a value for a single-quoted string of the structured syntax (`fq`, `q.parser=structured`).
 * Only `\` and `'` are special inside quotes.
 */
export const quoteStructured = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * Most alternatives (`word`, `word*`, `word~n`) in one query. Each fuzzy alternative costs the
 * domain a scan of its vocabulary; beyond this the transposed variants of the longest words go first.
 */
export const MAX_QUERY_ALTERNATIVES = 64;

/**
 * Most bytes of the URL-encoded `q`. The SDK sends searches as GET, and CloudSearch refuses a GET
 * request over 8190 bytes (method, URI and protocol included) with a 413; the other parameters
 * take a few hundred bytes, and non-Latin words triple in size when encoded.
 */
export const MAX_QUERY_BYTES = 3500;

/** How much tolerance a term keeps in the query: 2 all of it, 1 without transposed variants, 0 exact or prefix only. */
type Looseness = 0 | 1 | 2;

/**
 * The alternatives that let CloudSearch find what `matchTerm` accepts for `term`: the word, and
 * while it is being typed the words it starts (`word*`; the word itself stays an alternative
 * because a domain gives every prefix match the same score, and the exact word should rank
 * first); within its edits, `word~n`. CloudSearch's `~n` counts an adjacent swap as two edits,
 * so every transposed word is added too, itself with one edit less (`smlal` → `small`;
 * `midngiht~2` misses `midnight` only when a swap comes with another slip).
 */
function alternatives(term: QueryTerm, looseness: Looseness): string[] {
  if (looseness === 0) return [term.prefix ? `${term.text}*` : term.text];
  const words = term.prefix ? [term.text, `${term.text}*`] : [term.text];
  if (term.maxEdits === 0) return words;
  const fuzzy = `${term.text}~${term.maxEdits}`;
  if (looseness === 1) return [...words, fuzzy];
  const swapped = transpositions(term.text).map((variant) => (term.maxEdits > 1 ? `${variant}~${term.maxEdits - 1}` : variant));
  return [...words, fuzzy, ...swapped];
}

const render = (options: string[]) => (options.length === 1 ? options[0]! : `(${options.join(' | ')})`);

/**
 * The simple-parser query for the terms (combined by `q.options.defaultOperator`). Terms are
 * letters and digits only (`searchTerms`), so no user input can reach the query as syntax. Over
 * `MAX_QUERY_ALTERNATIVES` or `MAX_QUERY_BYTES`, the term with the most alternatives loses its
 * transposed variants, then its typo tolerance (and the exact word beside its prefix), until
 * the query fits.
 */
export function simpleQuery(terms: readonly QueryTerm[]): string {
  const looseness: Looseness[] = terms.map(() => 2);
  for (;;) {
    const options = terms.map((term, i) => alternatives(term, looseness[i]!));
    const query = options.map(render).join(' ');
    const count = options.reduce((sum, o) => sum + o.length, 0);
    if (count <= MAX_QUERY_ALTERNATIVES && Buffer.byteLength(encodeURIComponent(query)) <= MAX_QUERY_BYTES) return query;
    let widest = -1;
    options.forEach((o, i) => {
      if (looseness[i]! > 0 && o.length > 1 && (widest < 0 || o.join('').length > options[widest]!.join('').length)) widest = i;
    });
    if (widest < 0) return query;
    looseness[widest] = (looseness[widest]! - 1) as Looseness;
  }
}

/** `q.options.fields` for a kind: its searched word fields, with the shared field weights as boosts (`title_words^3`). */
export function boostedFields(field: SearchField, kind: SearchKind): string[] | undefined {
  const weights = searchedFields(field, kind);
  return (
    weights &&
    Object.entries(weights).map(([name, weight]) => {
      const words = wordsField(name as TextField);
      return weight === 1 ? words : `${words}^${weight}`;
    })
  );
}

/**
 * The request for one kind of hit, from CloudSearch's first hit: `and` asks for items matching
 * every term; `or` for items matching any, which CloudSearch scores higher the more terms they
 * match. `size` covers the window the shared ranking reorders (`RANK_WINDOW`) and the page.
 */
export function searchRequest(
  terms: readonly QueryTerm[],
  kind: SearchKind,
  fields: string[],
  size: number,
  operator: 'and' | 'or' = 'and',
): SearchCommandInput {
  return {
    query: simpleQuery(terms),
    queryParser: 'simple',
    queryOptions: JSON.stringify({ fields, defaultOperator: operator }),
    filterQuery: `kind:${quoteStructured(kind)}`,
    size,
    start: 0,
    return: 'doc',
  };
}

/** The three suggesters of the domain (`<field>_suggest`) and the kind each one should yield. */
export const suggesters: { name: string; kind: SearchKind }[] = [
  { name: 'artist_suggest', kind: 'artist' },
  { name: 'album_suggest', kind: 'album' },
  { name: 'title_suggest', kind: 'track' },
];
