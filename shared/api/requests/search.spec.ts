import { describe, expect, it } from 'vitest';
import { searchQuerySchema, suggestQuerySchema } from './search';

const problemOf = (q: string) => {
  const result = searchQuerySchema.safeParse({ q });
  return result.success ? undefined : { path: result.error.issues[0]?.path, message: result.error.issues[0]?.message };
};

describe('search requests', () => {
  it('trims and collapses whitespace in q; blank stays blank', () => {
    expect(searchQuerySchema.parse({ q: '  sigur \t ros ' })).toEqual({ q: 'sigur ros', field: 'all', limit: 20 });
    expect(suggestQuerySchema.parse({ q: ' \n ' })).toEqual({ q: '', limit: 8 });
  });

  it('refuses control characters and over-long queries, naming q', () => {
    expect(problemOf('abc\u0000')).toEqual({ path: ['q'], message: 'remove control characters from the query' });
    expect(problemOf('a\u001bb')).toEqual({ path: ['q'], message: 'remove control characters from the query' });
    expect(problemOf('x'.repeat(201))).toEqual({ path: ['q'], message: 'a query has at most 200 characters' });
    expect(problemOf('x'.repeat(2000))).toEqual({ path: ['q'], message: 'a query has at most 200 characters' });
    expect(searchQuerySchema.parse({ q: `${'x'.repeat(200)}   ` }).q).toHaveLength(200);
  });

  it('bounds limits and fields', () => {
    expect(searchQuerySchema.safeParse({ q: 'a', limit: '51' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: 'a', field: 'genre' }).success).toBe(false);
    expect(searchQuerySchema.parse({ q: 'a', field: 'album', limit: '5' })).toMatchObject({ field: 'album', limit: 5 });
  });
});
