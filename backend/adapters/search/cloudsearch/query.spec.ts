import { describe, expect, it } from 'vitest';
import { quoteStructured, searchRequest, simpleQuery } from './query';

describe('CloudSearch query building', () => {
  it('makes the last term a prefix and allows one typo from four letters', () => {
    expect(simpleQuery('Beyoncé')).toBe('(beyonce* | beyonce~1)');
    expect(simpleQuery('sigur ro')).toBe('(sigur | sigur~1) ro*');
    expect(simpleQuery('ab c')).toBe('ab*');
  });

  it('lets no query syntax through', () => {
    expect(simpleQuery(`"a" +b -cc`)).toBe('a b cc*');
    expect(simpleQuery(`(dd|ee) f* g~2 \\ 'hh' kind:album`)).toBe('dd ee f g 2 hh (kind | kind~1) (album* | album~1)');
    expect(simpleQuery('*** ~~~ ()')).toBe('');
  });

  it('escapes quoted structured values', () => {
    expect(quoteStructured(`it's a \\ test`)).toBe(`'it\\'s a \\\\ test'`);
  });

  it('filters on kind and asks only for the doc field', () => {
    expect(searchRequest('halo', 'track', ['title^3'], 30)).toEqual({
      query: '(halo* | halo~1)',
      queryParser: 'simple',
      queryOptions: JSON.stringify({ fields: ['title^3'], defaultOperator: 'and' }),
      filterQuery: "kind:'track'",
      size: 30,
      start: 0,
      return: 'doc',
    });
  });
});
