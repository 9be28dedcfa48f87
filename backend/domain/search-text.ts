/** Terms beyond this many add cost and no precision. */
export const MAX_QUERY_TERMS = 8;

// Letters that Unicode does not decompose into a base letter plus an accent.
const LIGATURES: Record<string, string> = { æ: 'ae', œ: 'oe', ø: 'o', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

/** Lower case without accents: `Beyoncé` → `beyonce`, `Sigur Rós` → `sigur ros`, `Ægir` → `aegir`. */
export function foldCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[æœøßđðłþı]/g, (letter) => LIGATURES[letter] ?? letter);
}

/**
 * The words of a text as both adapters index and query them: folded, apostrophes dropped
 * (`Don't` → `dont`), split on anything that is not a letter or digit. Query syntax of any
 * engine is therefore never part of a term.
 */
export function searchTerms(text: string): string[] {
  return foldCase(text)
    .replace(/['\u2019`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The comparable form of a whole name, for "exact match" ranking. */
export const foldName = (text: string) => searchTerms(text).join(' ');

/**
 * The terms of a query, capped at `MAX_QUERY_TERMS`. A one-letter last word of a longer query
 * (`sigur r`) is still being typed: it is dropped rather than expanded to every word with that
 * letter, which would cost far more than it narrows.
 */
export function queryTerms(text: string): string[] {
  const terms = searchTerms(text).slice(0, MAX_QUERY_TERMS);
  if (terms.length > 1 && terms[terms.length - 1]!.length === 1) terms.pop();
  return terms;
}

/**
 * How closely a name matches the whole query: 2 equal, 1 starts with it, 0 otherwise (case and
 * accents ignored). CloudSearch's type-ahead suggestions are ordered by it; search hits are
 * ranked by `search-ranking.ts`.
 */
export function nameMatch(name: string, query: string): number {
  const folded = foldName(name);
  const wanted = foldName(query);
  if (!wanted) return 0;
  if (folded === wanted) return 2;
  return folded.startsWith(wanted) ? 1 : 0;
}
