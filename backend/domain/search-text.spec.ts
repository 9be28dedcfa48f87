import { describe, expect, it } from 'vitest';
import { foldName, queryTerms, searchTerms } from './search-text';

describe('searchTerms', () => {
  it('folds case and accents and drops apostrophes', () => {
    expect(searchTerms('Beyoncé')).toEqual(['beyonce']);
    expect(searchTerms('Sigur Rós – Ágætis byrjun')).toEqual(['sigur', 'ros', 'agaetis', 'byrjun']);
    expect(searchTerms("Don't Stop")).toEqual(['dont', 'stop']);
  });

  it('never passes query syntax through', () => {
    expect(searchTerms(`a+b -c "d" (e|f) g* h~1 'i' \\ k:l`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '1', 'i', 'k', 'l']);
    expect(searchTerms('***')).toEqual([]);
  });

  it('caps the number of query terms and compares names', () => {
    expect(queryTerms('aa bb cc dd ee ff gg hh ii jj')).toHaveLength(8);
    expect(queryTerms('sigur r')).toEqual(['sigur']);
    expect(foldName('  AC/DC ')).toBe('ac dc');
  });
});
