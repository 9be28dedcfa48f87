import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH } from '../../shared/api';
import { bestHit, matchImportedItems, matchScore, MATCH_THRESHOLD } from './playlist-files-matching';
import type { ImportedItem } from './playlist-files-model';
import type { IndexedTrack, SearchQuery } from './search';

const track = (id: string, artist: string, title: string): IndexedTrack =>
  ({ id, artist, title, album: 'Album', albumId: 'al', artistId: 'ar', durationMs: 1 }) as IndexedTrack;

describe('matchScore: artist and title must both be alike enough', () => {
  it.each([
    ['typos in both', { artist: 'Adel', title: 'Helo' }, track('t', 'Adele', 'Hello')],
    ['a two-letter slip in a long title', { artist: 'Queen', title: 'Bohemian Rhapsodie' }, track('t', 'Queen', 'Bohemian Rhapsody')],
    ['case, accents and punctuation', { artist: 'beyonce', title: 'FORMATION!' }, track('t', 'Beyoncé', 'Formation')],
    ['a leading "The"', { artist: 'Beatles', title: 'Yesterday' }, track('t', 'The Beatles', 'Yesterday')],
    ['a featured guest', { artist: 'Daft Punk feat. Pharrell Williams', title: 'Get Lucky' }, track('t', 'Daft Punk', 'Get Lucky')],
    ['a version in brackets', { artist: 'Queen', title: 'Bohemian Rhapsody (Remastered 2011)' }, track('t', 'Queen', 'Bohemian Rhapsody')],
    ['"and" for "&"', { artist: 'Kito and Mara', title: 'Small Hours' }, track('t', 'Kito & Mara', 'Small Hours')],
    ['"&" for "and"', { artist: 'Simon & Garfunkel', title: 'The Boxer' }, track('t', 'Simon and Garfunkel', 'The Boxer')],
    ['"+" for "&"', { artist: 'Kito + Mara', title: 'Small Hours' }, track('t', 'Kito & Mara', 'Small Hours')],
  ])('near miss: %s matches', (_, item, candidate) => {
    expect(matchScore(item, candidate)).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  it.each([
    ['the same title by another artist', { artist: 'Lionel Richie', title: 'Hello' }, track('t', 'Adele', 'Hello')],
    ['a short title one letter off', { artist: 'Adele', title: 'Help' }, track('t', 'Adele', 'Hello')],
    ['a three-letter title one letter off', { artist: 'U2', title: 'One' }, track('t', 'U2', 'Ono')],
    ['an artist sharing a word', { artist: 'Simple Minds', title: 'Alive' }, track('t', 'Simple Plan', 'Alive')],
    ['a title sharing its start', { artist: 'Muse', title: 'Starlight' }, track('t', 'Muse', 'Star Wars')],
    ['no title at all', { artist: 'Adele' }, track('t', 'Adele', 'Hello')],
  ])('false friend: %s does not match', (_, item, candidate) => {
    expect(matchScore(item, candidate)).toBe(0);
  });

  it('needs the exact title when the line names no artist', () => {
    expect(matchScore({ title: 'hello' }, track('t', 'Adele', 'Hello'))).toBe(1);
    expect(matchScore({ title: 'Helo' }, track('t', 'Adele', 'Hello'))).toBe(0);
  });

  it('takes the best-matching hit, not the first', () => {
    const hits = [track('t1', 'Adele', 'Hello Again'), track('t2', 'Adele', 'Hello'), track('t3', 'Adele', 'Helo')];
    expect(bestHit({ text: 'Adele - Hello', artist: 'Adele', title: 'Hello' }, hits)).toBe('t2');
    expect(bestHit({ text: 'x', artist: 'Lionel Richie', title: 'Hello' }, hits)).toBeUndefined();
  });
});

describe('matchImportedItems', () => {
  const catalog = [track('tr_hello', 'Adele', 'Hello'), track('tr_yesterday', 'The Beatles', 'Yesterday')];
  const searched: string[] = [];
  const ports = {
    existingIds: async (ids: readonly string[]) => new Set(ids.filter((id) => catalog.some((t) => t.id === id))),
    // A stand-in search: every track sharing a word with the query, in catalog order.
    search: async (query: SearchQuery) => {
      searched.push(query.text);
      const words = query.text.split(' ');
      const tracks = catalog.filter((t) => words.some((w) => `${t.artist} ${t.title}`.toLowerCase().includes(w)));
      return { tracks, albums: [], artists: [], more: false };
    },
  };

  it('keeps file order: our own ids first, then search by artist and title, searching each named track once', async () => {
    const items: ImportedItem[] = [
      { text: 'a', trackId: 'tr_yesterday', artist: 'Someone', title: 'Else' },
      { text: 'b', artist: 'Adel', title: 'Helo' },
      { text: 'c', artist: 'Nobody', title: 'Nothing' },
      { text: 'd', trackId: 'tr_gone', artist: 'beatles', title: 'yesterday' },
      { text: 'e', artist: 'Adel', title: 'Helo' },
      { text: 'f' },
    ];
    searched.length = 0;
    expect(await matchImportedItems(items, ports)).toEqual(['tr_yesterday', 'tr_hello', undefined, 'tr_yesterday', 'tr_hello', undefined]);
    expect(searched.sort()).toEqual(['helo adel', 'nothing nobody', 'yesterday beatles']);
  });

  it('searches at most what a search query may hold, in whole words', async () => {
    const words = Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(59)}`);
    searched.length = 0;
    await matchImportedItems([{ text: 'long', artist: 'Band', title: words.join(' ') }], ports);
    expect(searched).toEqual([words.slice(0, 3).join(' ')]);
    expect(searched[0]!.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
  });

  it('fails when the search fails, rather than importing a partial list', async () => {
    const failing = { ...ports, search: async () => Promise.reject(new Error('down')) };
    await expect(matchImportedItems([{ text: 'b', artist: 'Adel', title: 'Helo' }], failing)).rejects.toThrow('down');
  });
});
