import { describe, expect, it } from 'vitest';
import { searchTerms } from './search-text';
import {
  didYouMean,
  matchCandidate,
  matchTerm,
  nameFields,
  parseSearchQuery,
  rankCandidates,
  searchGuidance,
  withShortWordEdits,
  type Candidate,
} from './search-ranking';

interface Item {
  id: string;
  title: string;
  artist: string;
  plays?: number;
}

const describeTrack = (item: Item): Candidate => ({
  id: item.id,
  fields: [
    { words: searchTerms(item.title), weight: 3 },
    { words: searchTerms(item.artist), weight: 2 },
  ],
  names: [searchTerms(item.title), searchTerms(item.artist)],
  popularity: item.plays ?? 0,
  nameLength: item.title.length,
});

const rank = (query: string, items: Item[]) => rankCandidates(parseSearchQuery(query), items, describeTrack).map((r) => r.id);

describe('parseSearchQuery', () => {
  it('makes the last word a prefix and grows tolerance with length', () => {
    expect(parseSearchQuery('Midngiht sun')).toEqual([
      { text: 'midngiht', position: 0, prefix: false, maxEdits: 2 },
      { text: 'sun', position: 1, prefix: true, maxEdits: 0 },
    ]);
    expect(withShortWordEdits(parseSearchQuery('vih')[0]!).maxEdits).toBe(1);
    // One edit from a two-letter word reaches nearly every short word: never.
    expect(withShortWordEdits(parseSearchQuery('xq')[0]!).maxEdits).toBe(0);
  });
});

describe('matchTerm', () => {
  it('prefers the exact word, then the prefix, then a correction', () => {
    const [term] = parseSearchQuery('smlal');
    expect(matchTerm(term!, 'smlal')).toEqual({ word: 'smlal', edits: 0, prefix: false });
    expect(matchTerm(term!, 'smlalest')).toEqual({ word: 'smlalest', edits: 0, prefix: true });
    expect(matchTerm(term!, 'small')).toEqual({ word: 'small', edits: 1, prefix: false });
    expect(matchTerm(term!, 'smell')).toBeUndefined();
    const [short] = parseSearchQuery('vih again');
    expect(matchTerm(short!, 'vieh')).toBeUndefined();
    expect(matchTerm(withShortWordEdits(short!), 'vieh')).toMatchObject({ edits: 1 });
  });
});

describe('rankCandidates', () => {
  const catalog: Item[] = [
    { id: 'halo-remix', title: 'Halo Halo Remix', artist: 'A' },
    { id: 'halo', title: 'Halo', artist: 'B' },
    { id: 'halos', title: 'Halo of Halos', artist: 'C' },
    { id: 'hallo', title: 'Hallo', artist: 'D' },
    { id: 'halo-by-halo', title: 'Quiet', artist: 'Halo' },
  ];

  it('orders exact name > name prefix > all words > corrected words', () => {
    expect(rank('halo', catalog)).toEqual(['halo', 'halo-by-halo', 'halos', 'halo-remix', 'hallo']);
    // "hlao" is one swap from "halo"; "hallo" is two edits away, too far for four letters.
    expect(rank('hlao', catalog)).toEqual(['halo', 'halo-by-halo', 'halos', 'halo-remix']);
  });

  it('ranks words typed as the catalog spells them above a name reached by a correction', () => {
    const items: Item[] = [
      { id: 'night-moves', title: 'Night Moves', artist: 'Bob Seger' },
      { id: 'light', title: 'Light', artist: 'The Moves' },
    ];
    expect(rank('light moves', items)).toEqual(['light', 'night-moves']);
  });

  it('keeps only the items matching the most words, so one wrong word never empties the page', () => {
    const items: Item[] = [
      { id: 'small', title: 'Small Hours', artist: 'John Martyn' },
      { id: 'hours', title: 'Hours', artist: 'Someone' },
      { id: 'other', title: 'Other', artist: 'Nobody' },
    ];
    expect(rank('small hours', items)).toEqual(['small']);
    expect(rank('smlal hours', items)).toEqual(['small']);
    expect(rank('small banana hours', items)).toEqual(['small']);
    expect(rank('banana kiwi hours', items)).toEqual(['hours', 'small']);
    expect(rank('banana kiwi', items)).toEqual([]);
  });

  it('prefers played tracks, then shorter names, among equal matches', () => {
    const items: Item[] = [
      { id: 'long', title: 'Love Song Extended', artist: 'X' },
      { id: 'short', title: 'Love Songs', artist: 'Y' },
      { id: 'played', title: 'Love Song Live Take', artist: 'Z', plays: 40 },
    ];
    expect(rank('love so', items)).toEqual(['played', 'short', 'long']);
  });

  it('credits a word to its weightiest field', () => {
    const items: Item[] = [
      { id: 'by-artist', title: 'Quiet', artist: 'Sigur Rós' },
      { id: 'in-title', title: 'Rós', artist: 'Someone' },
    ];
    const [first, second] = rankCandidates(parseSearchQuery('ros song'), items, describeTrack);
    expect([first!.id, first!.match.weight, second!.match.weight]).toEqual(['in-title', 3, 2]);
  });
});

describe('didYouMean', () => {
  const terms = parseSearchQuery('midngiht banana sun');
  const match = matchCandidate(terms, describeTrack({ id: 'x', title: 'Midnight Sun', artist: 'Élan' }))!;

  it('spells the query as the best hit does: corrected, unmatched words dropped, its display name when equal', () => {
    expect(didYouMean(terms, match)).toBe('midnight sun');
    expect(didYouMean(terms, match, ['Midnight Sun'])).toBe('Midnight Sun');
    const artist = parseSearchQuery('elna');
    expect(didYouMean(artist, matchCandidate(artist, describeTrack({ id: 'y', title: 'Quiet', artist: 'Élan' }))!, ['Élan'])).toBe('Élan');
  });

  it('completes the word being typed from the name, and only then', () => {
    const typing = parseSearchQuery('midngiht su');
    const hit = matchCandidate(typing, describeTrack({ id: 'x', title: 'Midnight Sun', artist: 'A' }))!;
    expect(didYouMean(typing, hit, ['Midnight Sun', 'A'])).toBe('Midnight Sun');
    const whole = parseSearchQuery('midngiht');
    expect(
      didYouMean(whole, matchCandidate(whole, describeTrack({ id: 'x', title: 'Midnight Sun', artist: 'A' }))!, ['Midnight Sun']),
    ).toBe('midnight');
  });

  it('stays silent when the query needed no help', () => {
    const exact = parseSearchQuery('midnight su');
    expect(didYouMean(exact, matchCandidate(exact, describeTrack({ id: 'x', title: 'Midnight Sun', artist: 'A' }))!)).toBeUndefined();
  });
});

describe('searchGuidance', () => {
  const hit = (query: string, id: string, kind: 'artist' | 'album' | 'track', name: string, title = name) => {
    const terms = parseSearchQuery(query);
    const candidate: Candidate =
      kind === 'track'
        ? describeTrack({ id, title, artist: 'Someone' })
        : { id, fields: [{ words: searchTerms(name), weight: 1 }], names: [searchTerms(name)], nameLength: name.length };
    return { id, match: matchCandidate(terms, candidate)!, popularity: 0, nameLength: name.length, names: [name] };
  };

  it('puts the artist the query names on top, else the best track', () => {
    const terms = parseSearchQuery('sigur ros');
    expect(
      searchGuidance(terms, {
        artist: hit('sigur ros', 'ar', 'artist', 'Sigur Rós'),
        track: hit('sigur ros', 'tr', 'track', 'Sigur Rós Live'),
      }),
    ).toEqual({
      top: { kind: 'artist', id: 'ar' },
    });
    const partial = parseSearchQuery('sigur');
    expect(
      searchGuidance(partial, { artist: hit('sigur', 'ar', 'artist', 'Sigur Rós'), track: hit('sigur', 'tr', 'track', 'Sigur Rós Live') }),
    ).toEqual({
      top: { kind: 'track', id: 'tr' },
    });
    expect(searchGuidance(terms, {})).toEqual({});
  });

  it('never names a corrected artist above a track typed exactly, and spells "did you mean" from the top hit', () => {
    const terms = parseSearchQuery('harbour');
    const artist = hit('harbour', 'ar', 'artist', 'Harbor');
    const track = hit('harbour', 'tr', 'track', 'Harbour Lights');
    expect(searchGuidance(terms, { artist, track })).toEqual({ top: { kind: 'track', id: 'tr' } });
    const typo = parseSearchQuery('harobur');
    expect(
      searchGuidance(typo, { artist: hit('harobur', 'ar', 'artist', 'Harbour'), track: hit('harobur', 'tr', 'track', 'Harbour Lights') }),
    ).toEqual({
      top: { kind: 'artist', id: 'ar' },
      didYouMean: 'Harbour',
    });
  });

  it("spells the suggestion as another kind's best hit displays it when the top hit's names do not", () => {
    const terms = parseSearchQuery('harbour lihgts xyzzy');
    const track = hit('harbour lihgts xyzzy', 'tr', 'track', 'Harbour Lights Reprise');
    const album = hit('harbour lihgts xyzzy', 'al', 'album', 'Harbour Lights');
    expect(searchGuidance(terms, { track, album })).toEqual({ top: { kind: 'track', id: 'tr' }, didYouMean: 'Harbour Lights' });
  });

  it('suggests from the best hit of any kind when no track answers', () => {
    const terms = parseSearchQuery('lemonaed');
    expect(searchGuidance(terms, { album: hit('lemonaed', 'al', 'album', 'Lemonade', 'x') })).toEqual({
      top: { kind: 'album', id: 'al' },
      didYouMean: 'Lemonade',
    });
    expect(nameFields('all', 'album')).toEqual(['album', 'artist']);
  });
});
