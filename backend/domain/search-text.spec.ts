import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { checkQueryText, foldName, queryTerms, searchTerms } from './search-text';

describe('checkQueryText', () => {
  it('trims and collapses whitespace; blank stays blank', () => {
    expect(checkQueryText('  sigur \t ros ')).toBe('sigur ros');
    expect(checkQueryText(' \n ')).toBe('');
  });

  it('rejects control characters and over-long queries with a 400 naming q', () => {
    for (const bad of ['abc\u0000', 'a\u001bb', 'x'.repeat(201)]) {
      const error = (() => {
        try {
          checkQueryText(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 400, field: 'q' });
    }
    expect(checkQueryText('x'.repeat(200))).toHaveLength(200);
  });
});

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
