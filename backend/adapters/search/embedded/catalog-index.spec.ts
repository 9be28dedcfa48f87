import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../test/support/search-catalog';
import { seededRandom } from '../../../../test/support/random';
import { toIndexedTrack, type IndexedTrack, type SearchField, type SearchHits } from '../../../domain/search';
import {
  matchTerm,
  nameFields,
  parseSearchQuery,
  rankCandidates,
  searchedFields,
  searchGuidance,
  withShortWordEdits,
  type BestHit,
  type Candidate,
  type SearchKind,
  type TextField,
} from '../../../domain/search-ranking';
import { searchTerms } from '../../../domain/search-text';
import { CatalogIndex, type IndexSnapshot } from './catalog-index';

const track = (id: string, title: string, artist: string, album: string, extra: Partial<IndexedTrack> = {}): IndexedTrack => ({
  id,
  title,
  artist,
  artistId: `ar_${artist}`,
  album,
  albumId: `al_${album}`,
  durationMs: 1000,
  ...extra,
});

const find = (index: CatalogIndex, text: string, field: SearchField = 'all') => index.search({ text, field, limit: 10, offset: 0 });
const ids = (items: { id: string }[]) => items.map((item) => item.id);
const viaJson = (snapshot: IndexSnapshot) => JSON.parse(JSON.stringify(snapshot)) as IndexSnapshot;

const small = () => {
  const index = CatalogIndex.empty();
  index.upsert([
    track('t_hours', 'Small Hours', 'Quiet Harbour', 'Harbour Lights'),
    track('t_sun', 'Midnight Sun', 'Quiet Harbour', 'Harbour Lights'),
    track('t_talk', 'Small Talk', 'Chatterbox', 'Rooms'),
    track('t_vieh', 'Kühe', 'Vieh', 'Weide'),
    track('t_son', 'Son', 'Sunny Day', 'Days'),
  ]);
  return index;
};

describe('CatalogIndex', () => {
  it('keeps album and artist counts right when tracks move and go', () => {
    const index = CatalogIndex.empty();
    index.upsert([
      track('t1', 'Halo', 'Beyoncé', 'I Am'),
      track('t2', 'Ego', 'Beyoncé', 'I Am'),
      track('t3', 'Formation', 'Beyoncé', 'Lemonade'),
    ]);
    expect(find(index, 'beyonce').artists).toEqual([{ id: 'ar_Beyoncé', name: 'Beyoncé', albumCount: 2, trackCount: 3 }]);
    index.upsert([track('t3', 'Formation', 'Beyoncé', 'I Am')]);
    expect(find(index, 'lemonade').albums).toEqual([]);
    expect(find(index, 'i am').albums[0]).toMatchObject({ trackCount: 3 });
    expect(find(index, 'beyonce').artists[0]).toMatchObject({ albumCount: 1, trackCount: 3 });
    index.remove(['t1', 't2', 't3']);
    expect(find(index, 'beyonce')).toEqual({ tracks: [], albums: [], artists: [], more: false });
  });

  it('ranks an exact title above longer titles that contain it', () => {
    const index = CatalogIndex.empty();
    index.upsert([track('t1', 'Halo Halo Remix', 'A', 'X'), track('t2', 'Halo', 'B', 'Y'), track('t3', 'Halo of Halos', 'C', 'Z')]);
    expect(index.search({ text: 'halo', field: 'track', limit: 3, offset: 0 }).tracks[0]!.id).toBe('t2');
  });

  it('forgives one slip of each kind: substitution, insertion, deletion and an adjacent swap', () => {
    const index = small();
    const slips = { substitution: 'Midnigjt Sun', insertion: 'Midnnight Sun', deletion: 'Midnght Sun', transposition: 'Midngiht Sun' };
    for (const [kind, q] of Object.entries(slips)) {
      expect(ids(find(index, q).tracks)[0], kind).toBe('t_sun');
      expect(ids(find(index, q, 'track').tracks)[0], kind).toBe('t_sun');
    }
    expect(ids(find(index, 'Smlal Hours').tracks)[0]).toBe('t_hours');
    expect(ids(find(index, 'Harobur Lights', 'album').albums)).toEqual(['al_Harbour Lights']);
  });

  it('still finds the item when one of several words matches nothing: the items matching the most words', () => {
    const index = small();
    const results = find(index, 'Small Hours Xyzzy');
    expect(ids(results.tracks)).toEqual(['t_hours']);
    expect(results.didYouMean).toBe('Small Hours');
  });

  it('gives short words one edit only when nothing is spelled or started that way', () => {
    const index = small();
    expect(ids(find(index, 'Vih').artists)).toEqual(['ar_Vieh']);
    // "son" is a word of the catalog: no edits, so "Sunny Day" is found for its artist only by "sun".
    expect(ids(find(index, 'son', 'track').tracks)).toEqual(['t_son']);
    index.upsert([track('t_vihara', 'Vihara', 'Monks', 'Temples')]);
    expect(ids(find(index, 'Vih').artists)).toEqual([]);
    expect(ids(find(index, 'Vih').tracks)).toEqual(['t_vihara']);
  });

  it('completes the last word as it is typed, not the earlier ones', () => {
    const index = small();
    expect(ids(find(index, 'midnight su').tracks)).toEqual(['t_sun']);
    expect(ids(find(index, 'smal', 'track').tracks).sort()).toEqual(['t_hours', 't_talk']);
    // "smal" is complete here, and one edit from "small": found, but as a correction.
    const corrected = find(index, 'smal hours', 'track');
    expect(ids(corrected.tracks)).toEqual(['t_hours']);
    expect(corrected.didYouMean).toBe('Small Hours');
  });

  it('completes the word being typed among any number of words that start alike', () => {
    const index = CatalogIndex.empty();
    // 150 words starting with "br", each in three titles, and the one wanted, in a single title.
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const crowd = Array.from({ length: 150 }, (_, i) => `br${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
    index.upsert(
      crowd.flatMap((word, i) => [0, 1, 2].map((copy) => track(`t_${i}_${copy}`, `Angel ${word}`, `Band ${copy}`, `Album ${i}`))),
    );
    index.upsert([track('t_wanted', 'Angel Bridges', 'Sigridur Thorsson', 'Islands')]);
    const results = find(index, 'sigridur thorsson angel br');
    expect(ids(results.tracks)[0]).toBe('t_wanted');
    expect(results.didYouMean).toBeUndefined();
  });

  it('shows only the kinds whose best hits match the most query words', () => {
    const index = CatalogIndex.empty();
    index.upsert([track('t_hb', 'Hells Bells', 'AC/DC', 'Back in Black'), track('t_bel', 'Other', 'Someone', 'Belles')]);
    // The album "Belles" matches "bells" by a typo only; the track matches both words.
    const results = find(index, 'hells bells');
    expect(ids(results.tracks)).toEqual(['t_hb']);
    expect(results.albums).toEqual([]);
    expect(results.artists).toEqual([]);
    expect(results.more).toBe(false);
    // When nothing matches every word, each kind shows its best partial matches.
    expect(ids(find(index, 'belles xyzzy').albums)).toEqual(['al_Belles']);
  });

  it('ranks a query with a repeated word as the domain does', () => {
    const index = small();
    expect(ids(find(index, 'small small', 'track').tracks)).toEqual(ids(find(index, 'small', 'track').tracks));
    expect(ids(find(index, 'smlal smlal', 'track').tracks).sort()).toEqual(['t_hours', 't_talk']);
    expect(find(index, 'smlal smlal hours').didYouMean).toBe('small small hours');
  });

  it('names a top result and a correction on the first page only', () => {
    const index = small();
    expect(find(index, 'Harobur Lights')).toMatchObject({ top: { kind: 'album', id: 'al_Harbour Lights' }, didYouMean: 'Harbour Lights' });
    expect(find(index, 'quiet harbour')).toMatchObject({ top: { kind: 'artist', id: 'ar_Quiet Harbour' } });
    expect(find(index, 'quiet harbour')).not.toHaveProperty('didYouMean');
    expect(find(index, 'midnight')).toMatchObject({ top: { kind: 'track', id: 't_sun' } });
    const second = index.search({ text: 'Harobur Lights', field: 'all', limit: 1, offset: 1 });
    expect(second).not.toHaveProperty('top');
    expect(second).not.toHaveProperty('didYouMean');
  });

  it('prefers what listeners play among equal matches', () => {
    const index = CatalogIndex.empty();
    index.upsert([
      track('t1', 'Home', 'A', 'X'),
      track('t2', 'Home', 'B', 'Y', { playCount: 40 }),
      track('t3', 'Home', 'C', 'Z', { playCount: 3 }),
    ]);
    expect(ids(find(index, 'home', 'track').tracks)).toEqual(['t2', 't3', 't1']);
  });

  it('suggests names as they are typed, artists first on equal matches, and forgives slips in complete words', () => {
    const index = small();
    index.upsert([track('t_qh', 'Quiet Harbour', 'Someone', 'Else')]);
    expect(index.suggest('quiet harb', 5)).toEqual([
      { text: 'Quiet Harbour', kind: 'artist', id: 'ar_Quiet Harbour' },
      { text: 'Quiet Harbour', kind: 'track', id: 't_qh' },
    ]);
    expect(index.suggest('harobur', 5)[0]).toEqual({ text: 'Harbour Lights', kind: 'album', id: 'al_Harbour Lights' });
    expect(index.suggest('sm', 5).map((s) => s.text)).toEqual(['Small Talk', 'Small Hours']);
    expect(index.suggest('  ', 5)).toEqual([]);
  });

  it('survives a snapshot round trip: records, ranking and suggestions', () => {
    const index = CatalogIndex.empty();
    index.upsert([
      track('t1', 'Jóga', 'Björk', 'Homogenic', {
        trackNumber: 1,
        discNumber: 1,
        genre: 'Pop',
        year: 1997,
        coverKey: 'covers/h.jpg',
        playCount: 12,
      }),
      track('t2', 'Hunter', 'Björk', 'Homogenic', { durationMs: 3_000_000_000, mood: 'dark' } as Partial<IndexedTrack>),
      track('t3', 'Ágætis byrjun', 'Sigur Rós', 'Ágætis byrjun'),
    ]);
    const copy = CatalogIndex.fromSnapshot(viaJson(index.toSnapshot()));
    expect(copy.size).toBe(3);
    for (const q of ['joga', 'bjork', 'agaetis', 'hunetr', 'sigur r']) expect(find(copy, q), q).toEqual(find(index, q));
    expect(find(copy, 'hunter').tracks[0]).toEqual({
      ...track('t2', 'Hunter', 'Björk', 'Homogenic'),
      durationMs: 3_000_000_000,
      mood: 'dark',
    });
    expect(find(copy, 'joga').tracks[0]).toEqual(
      track('t1', 'Jóga', 'Björk', 'Homogenic', {
        trackNumber: 1,
        discNumber: 1,
        genre: 'Pop',
        year: 1997,
        coverKey: 'covers/h.jpg',
        playCount: 12,
      }),
    );
    expect(copy.suggest('bjo', 3)).toEqual([{ text: 'Björk', kind: 'artist', id: 'ar_Björk' }]);
  });

  it('reads a snapshot of the first format (just the tracks) and refuses unknown or damaged ones', () => {
    const tracks = [track('t1', 'Jóga', 'Björk', 'Homogenic'), track('t2', 'Hunter', 'Björk', 'Homogenic')];
    const old = CatalogIndex.fromSnapshot({ format: 1, tracks });
    expect(ids(find(old, 'joga').tracks)).toEqual(['t1']);
    expect(find(old, 'bjork').artists).toEqual([{ id: 'ar_Björk', name: 'Björk', albumCount: 1, trackCount: 2 }]);
    expect(old.toSnapshot().format).toBe(2);

    expect(() => CatalogIndex.fromSnapshot({ format: 3 } as unknown as IndexSnapshot)).toThrow('search snapshot: unsupported format 3');
    const snapshot = viaJson(old.toSnapshot());
    if (snapshot.format !== 2) throw new Error('expected format 2');
    const damaged = {
      ...snapshot,
      tracks: { ...snapshot.tracks, albumRow: Buffer.from(new Int32Array([0, 7]).buffer).toString('base64') },
    };
    expect(() => CatalogIndex.fromSnapshot(damaged)).toThrow(/track album rows refers beyond its table/);
  });

  it('takes changes after loading a snapshot, and publishes them', () => {
    const index = CatalogIndex.empty();
    index.upsert([
      track('t1', 'Jóga', 'Björk', 'Homogenic'),
      track('t2', 'Hunter', 'Björk', 'Homogenic'),
      track('t3', 'Hyperballad', 'Björk', 'Post'),
    ]);
    const loaded = CatalogIndex.fromSnapshot(viaJson(index.toSnapshot()));
    loaded.upsert([track('t4', 'Army of Me', 'Björk', 'Post'), track('t1', 'Jóga (Live)', 'Björk', 'Homogenic')]);
    loaded.remove(['t2', 'missing']);
    expect(loaded.size).toBe(3);
    expect(find(loaded, 'army').tracks.map((t) => t.title)).toEqual(['Army of Me']);
    expect(find(loaded, 'hunter').tracks).toEqual([]);
    expect(find(loaded, 'homogenic', 'album').albums).toEqual([
      { id: 'al_Homogenic', name: 'Homogenic', artist: 'Björk', artistId: 'ar_Björk', trackCount: 1 },
    ]);
    expect(find(loaded, 'bjork').artists[0]).toMatchObject({ albumCount: 2, trackCount: 3 });
    const again = CatalogIndex.fromSnapshot(viaJson(loaded.toSnapshot()));
    for (const q of ['joga live', 'army', 'post', 'bjork']) expect(find(again, q), q).toEqual(find(loaded, q));
  });
});

describe('CatalogIndex ranking against the domain ranking of every item', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  // Many words that start alike, as in a large catalog: a prefix being typed has hundreds of completions.
  const crowded = Array.from({ length: 160 }, (_, i) => `ch${letters[(i * 7) % 26]}${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
  const crowd = crowded.flatMap((word, i) =>
    Array.from({ length: (i % 4) + 1 }, (_, copy) =>
      track(`t_crowd_${i}_${copy}`, `Nocturne ${word}`, 'Massed Voices', `Anthems ${i % 10}`),
    ),
  );
  const catalog = [...generateCatalog(1500, 11).map((t) => toIndexedTrack(t)), ...crowd].map((t, i) =>
    i % 3 === 0 ? { ...t, playCount: i % 17 } : t,
  );
  const index = CatalogIndex.empty();
  index.upsert(catalog);
  const albums = new Map<string, { id: string; album: string; artist: string }>();
  const artists = new Map<string, { id: string; artist: string }>();
  for (const t of catalog) {
    albums.set(t.albumId, { id: t.albumId, album: t.album, artist: albums.get(t.albumId)?.artist ?? t.artist });
    artists.set(t.artistId, { id: t.artistId, artist: t.artist });
  }
  const vocabulary = [...new Set(catalog.flatMap((t) => [t.title, t.artist, t.album].flatMap(searchTerms)))];
  type Item = Partial<Record<TextField, string>> & { id: string; playCount?: number };

  /** Every item matched word by word with the domain's `matchTerm`, as an index-free reference; and its best hit. */
  function reference(text: string, field: SearchField, kind: SearchKind, items: readonly Item[]) {
    const terms = parseSearchQuery(text).map((term) => {
      const spelled = vocabulary.some((w) => w === term.text || (term.prefix && w.startsWith(term.text)));
      return term.maxEdits === 0 && !spelled ? withShortWordEdits(term) : term;
    });
    const weights = searchedFields(field, kind)!;
    const names = nameFields(field, kind);
    const describe = (item: Item): Candidate => ({
      id: item.id,
      fields: (Object.entries(weights) as [TextField, number][]).map(([name, weight]) => ({ words: searchTerms(item[name]!), weight })),
      names: names.map((name) => searchTerms(item[name]!)),
      popularity: item.playCount ?? 0,
      nameLength: item[names[0]!]!.length,
    });
    const ranked = rankCandidates(terms, items, describe, matchTerm);
    const first = ranked[0];
    return {
      ids: ranked.map((hit) => hit.id),
      coverage: first?.match.coverage ?? 0,
      best: first && { ...first, names: names.map((name) => first.item[name]!) },
    };
  }

  const random = seededRandom(5);
  const someTrack = () => catalog[Math.floor(random() * 1500)]!;
  const swap = (text: string) => text.replace(/(\p{L})(\p{L})(\p{L}+)/u, '$2$1$3');
  const commonest = Object.entries(
    catalog
      .flatMap((t) => searchTerms(t.title))
      .reduce<Record<string, number>>((counts, w) => ({ ...counts, [w]: (counts[w] ?? 0) + 1 }), {}),
  ).sort((a, b) => b[1] - a[1])[0]![0];
  const queries: [string, SearchField][] = [
    [commonest, 'all'],
    [commonest, 'track'],
    [`${commonest} ${someTrack().title}`, 'all'],
    [someTrack().title, 'all'],
    [swap(someTrack().title), 'all'],
    [swap(someTrack().artist), 'artist'],
    [someTrack().album, 'album'],
    [`${someTrack().artist.slice(0, 4)}`, 'all'],
    [`${someTrack().title} zzqxv`, 'track'],
    [`${swap(someTrack().title)} ${someTrack().artist}`, 'all'],
    ['ch', 'all'],
    ['massed voices nocturne ch', 'all'],
    [`nocturne ${crowded[157]!.slice(0, 4)}`, 'track'],
    [`${someTrack().title} ${someTrack().title}`, 'all'],
  ];

  it('meets prefixes with more completions than a short list would hold', () => {
    expect(vocabulary.filter((w) => w.startsWith('ch')).length).toBeGreaterThan(150);
  });

  it.each(queries)('pages "%s" (field %s) as ranking every item would', (text, field) => {
    const pages: SearchHits[] = [];
    for (let offset = 0; offset < 40; offset += 8) pages.push(index.search({ text, field, limit: 8, offset }));
    const expected = {
      track: searchedFields(field, 'track') ? reference(text, field, 'track', catalog) : undefined,
      album: searchedFields(field, 'album') ? reference(text, field, 'album', [...albums.values()]) : undefined,
      artist: searchedFields(field, 'artist') ? reference(text, field, 'artist', [...artists.values()]) : undefined,
    };
    // Only the kinds whose best hits match the most words show.
    const coverage = Math.max(...Object.values(expected).map((kind) => kind?.coverage ?? 0));
    expect(coverage, 'the query finds something').toBeGreaterThan(0);
    const shown = (kind: SearchKind) => (expected[kind] && expected[kind].coverage === coverage ? expected[kind].ids : []);
    expect(pages.flatMap((page) => ids(page.tracks))).toEqual(shown('track').slice(0, 40));
    expect(pages.flatMap((page) => ids(page.albums))).toEqual(shown('album').slice(0, 40));
    expect(pages.flatMap((page) => ids(page.artists))).toEqual(shown('artist').slice(0, 40));
    const longest = Math.max(...(['track', 'album', 'artist'] as const).map((kind) => shown(kind).length));
    expect(pages.map((page) => page.more)).toEqual([0, 8, 16, 24, 32].map((offset) => longest > offset + 8));
    const best: Partial<Record<SearchKind, BestHit>> = {};
    for (const kind of ['track', 'album', 'artist'] as const) {
      const hit = expected[kind]?.best;
      if (hit && shown(kind).length > 0) best[kind] = hit;
    }
    const guidance = searchGuidance(parseSearchQuery(text), best);
    expect({ didYouMean: pages[0]!.didYouMean, top: pages[0]!.top }).toEqual({ didYouMean: guidance.didYouMean, top: guidance.top });
    expect(pages.slice(1).some((page) => 'didYouMean' in page || 'top' in page)).toBe(false);
  });
});
