import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TrackRecord } from '../../backend/domain/catalog';
import { toIndexedTrack, type SearchField, type SearchHits, type TrackSearch } from '../../backend/domain/search';
import {
  matchCandidate,
  parseSearchQuery,
  searchedFields,
  type ItemMatch,
  type SearchKind,
  type TextField,
} from '../../backend/domain/search-ranking';
import { foldCase, foldName, searchTerms } from '../../backend/domain/search-text';
import { allowedEdits, typoDistance } from '../../backend/domain/search-typos';
import { generateCatalog, landmarks, seedOf } from './search-catalog';
import {
  catalogItems,
  replacementWord,
  slippable,
  typo,
  typoKinds,
  uniquelyNamed,
  wordOccurrences,
  type CatalogItem,
} from './search-queries';
import { seededRandom } from './random';

/*
 * Where CloudSearch cannot do what the embedded engine does, its adapter gets as close as it
 * can, and the suite holds both to the same expectations (the protocol stub models CloudSearch,
 * not the adapter):
 * - `~n` is Levenshtein, a swap of neighbours costs 2: every transposed word is sent as an
 *   alternative (with one edit less from 8 letters), so one swap, or in a long word one swap and
 *   one other slip, is found; two swaps in one word are not.
 * - A request is bounded (64 alternatives, 3,500 encoded bytes of `q`, as the SDK searches with
 *   GET): in a long query the longest words lose their transposed variants, then their typos.
 * - Short words get one edit when the whole request found nothing, not word by word.
 * - "Most words matched" is ranked within CloudSearch's first 100 hits per kind (its own OR
 *   scoring); beyond them hits keep CloudSearch's order, so pages never repeat or skip one.
 * - Searches match `*_words` fields holding the folded words, analysed without stemming or
 *   stopwords (`catalog_words`, language `mul`), as the stub models them.
 */
export interface ContractSubject {
  search: TrackSearch;
  /** Makes writes visible (publish a snapshot and reload; no-op for CloudSearch). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const groupOf = { track: 'tracks', album: 'albums', artist: 'artists' } as const satisfies Record<SearchKind, keyof SearchHits>;
const fieldOf = { track: 'track', album: 'album', artist: 'artist' } as const satisfies Record<SearchKind, SearchField>;

const top3 = (results: SearchHits, kind: 'tracks' | 'albums' | 'artists', id: string) =>
  (results[kind] as { id: string }[])
    .slice(0, 3)
    .map((item) => item.id)
    .includes(id);

/**
 * The behaviour every `TrackSearch` adapter must have, run against each one on the same
 * generated catalog: relevance (exact names, 3-letter prefixes, names without accents, one typo
 * of each kind, one wrong word among several, short words → intended item in the top 3), "did
 * you mean" and the top result, grouping, field filters, paging, removal, suggestions and
 * hostile input. Intended items are drawn among those with a name no other item of their kind
 * shares; a typo that spells another word of the catalog is drawn again. Each test draws from
 * its own seed (its name), so a test run alone draws what it draws in the whole suite.
 */
export function describeSearchContract(name: string, start: () => Promise<ContractSubject>, catalogSize = 2000) {
  describe(`TrackSearch contract: ${name}`, () => {
    let subject: ContractSubject;
    let catalog: TrackRecord[];
    let unique: CatalogItem[];
    let vocabulary: Set<string>;
    let random: () => number;
    beforeEach((context) => {
      random = seededRandom(seedOf(context.task.name));
    });

    beforeAll(async () => {
      subject = await start();
      catalog = generateCatalog(catalogSize, 5);
      unique = uniquelyNamed(catalogItems(catalog));
      vocabulary = new Set(catalog.flatMap((t) => [t.title, t.artist, t.album].flatMap(searchTerms)));
      await subject.search.upsert(catalog.map(toIndexedTrack));
      await subject.settle();
    });
    afterAll(() => subject?.stop());

    const find = (text: string, field: SearchField = 'all') => subject.search.search({ text, field, limit: 10, offset: 0 });
    const sample = (kind: SearchKind, count: number, fits: (item: CatalogItem) => boolean) => {
      const pool = unique.filter((item) => item.kind === kind && fits(item));
      expect(pool.length, `${kind}s to sample`).toBeGreaterThan(0);
      return Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)]!);
    };
    const words = (item: CatalogItem) => item.name.split(' ');
    const expectTop3 = async (item: CatalogItem, q: string) => {
      for (const field of ['all', fieldOf[item.kind]] as const) {
        expect(top3(await find(q, field), groupOf[item.kind], item.id), `${item.kind} "${item.name}" for "${q}" (field=${field})`).toBe(
          true,
        );
      }
    };
    /** `item`'s name with one slip of `kind` in a word of 4+ letters, spelling no word of the catalog. */
    const misspell = (item: CatalogItem, kind: (typeof typoKinds)[number]) => {
      const parts = words(item);
      const at = parts.flatMap((t, i) => (slippable(t) ? [i] : []));
      for (let attempt = 0; ; attempt++) {
        expect(attempt, `a slip of "${item.name}" that spells no catalog word`).toBeLessThan(100);
        const i = at[Math.floor(random() * at.length)]!;
        const slipped = typo(parts[i]!, kind, random);
        if (foldCase(slipped) !== foldCase(parts[i]!) && !vocabulary.has(foldCase(slipped)))
          return { text: parts.map((t, j) => (j === i ? slipped : t)).join(' '), word: foldCase(slipped) };
      }
    };

    /** The texts each item of `kind` is searched by, once per item. */
    const itemsOf = (kind: SearchKind): [string, Partial<Record<TextField, string>>][] => {
      const items = new Map<string, Partial<Record<TextField, string>>>();
      for (const t of catalog) {
        if (kind === 'track') items.set(t.id, { title: t.title, artist: t.artist, album: t.album });
        else if (kind === 'album' && !items.has(t.albumId)) items.set(t.albumId, { album: t.album, artist: t.artist });
        else if (kind === 'artist') items.set(t.artistId, { artist: t.artist });
      }
      return [...items];
    };
    /** How the shared ranking rules match `text` against an item's texts, as `field` searches them. */
    const matchOf = (
      text: string,
      kind: SearchKind,
      field: SearchField,
      texts: Partial<Record<TextField, string>>,
    ): ItemMatch | undefined => {
      const weights = searchedFields(field, kind);
      if (!weights) return undefined;
      const fields = Object.entries(weights).map(([name, weight]) => ({ words: searchTerms(texts[name as TextField] ?? ''), weight }));
      return matchCandidate(parseSearchQuery(text), { id: '', fields, names: [], nameLength: 0 });
    };

    for (const kind of ['artist', 'album', 'track'] as const) {
      it(`finds ${kind}s by exact name, as typed (last word cut to 3 letters) and without accents`, async () => {
        for (const item of sample(kind, 8, (it) => words(it).length >= 2 && words(it)[0]!.length >= 5 && words(it).at(-1)!.length > 3)) {
          const [first, ...rest] = words(item);
          const typed = [first, ...rest.slice(0, -1), rest.at(-1)!.slice(0, 3)].join(' ');
          for (const q of [item.name, typed, foldCase(item.name)]) await expectTop3(item, q);
        }
      });
    }

    for (const slip of typoKinds) {
      it(`finds artists, albums and tracks with one ${slip} anywhere in a word of 4+ letters`, async () => {
        for (const kind of ['artist', 'album', 'track'] as const) {
          for (const item of sample(kind, 6, (it) => words(it).some(slippable))) await expectTop3(item, misspell(item, slip).text);
        }
      });
    }

    it('finds a name of three words or more with one of them wrong, ranking the items that match the most words', async () => {
      const occurrences = wordOccurrences(catalog);
      let tested = 0;
      for (const kind of ['artist', 'album', 'track'] as const) {
        let perKind = 0;
        for (const item of unique.filter((it) => it.kind === kind && searchTerms(it.name).length >= 3 && words(it).some(slippable))) {
          const parts = words(item);
          const long = parts.flatMap((t, j) => (slippable(t) ? [j] : []));
          const at = long[Math.floor(random() * long.length)]!;
          // A word the catalog has, so items with it compete: the intended item must win on the words it keeps.
          const replacement = replacementWord(random, occurrences, parts[at]!, searchTerms(item.name));
          if (!replacement) continue;
          const text = parts.map((t, j) => (j === at ? replacement : t)).join(' ');
          const kept = searchTerms(text).length - 1;
          // An item matching as many words as the intended one, as exactly, would make the test a coin toss.
          const rivals = (['all', fieldOf[kind]] as const).some((field) =>
            itemsOf(kind).some(([id, texts]) => {
              const match = id === item.id ? undefined : matchOf(text, kind, field, texts);
              return match !== undefined && (match.coverage > kept || (match.coverage === kept && match.edits === 0));
            }),
          );
          if (rivals) continue;
          await expectTop3(item, text);
          tested += 1;
          if (++perKind === 4) break;
        }
      }
      expect(tested).toBeGreaterThanOrEqual(8);
    });

    it('gives a short word one edit only when nothing matches it exactly or by prefix: "Vih" finds "Vieh", "Sol" finds only "sol…"', async () => {
      // A title word of four letters with one letter dropped, as "Vieh" → "Vih": no catalog word is or starts with the three left.
      const short = [...new Set(catalog.flatMap((t) => searchTerms(t.title)))]
        .filter((w) => w.length === 4 && slippable(w))
        .flatMap((w) => [...w].map((_, i) => ({ word: w, typed: w.slice(0, i) + w.slice(i + 1) })))
        .filter(({ typed }) => ![...vocabulary].some((w) => w.startsWith(typed)));
      expect(short.length, 'three letters no catalog word starts with').toBeGreaterThan(0);
      const { word, typed } = short[Math.floor(random() * short.length)]!;
      const nearby = (title: string) => searchTerms(title).some((w) => typoDistance(typed, w, 1) <= 1);
      for (const field of ['all', 'track'] as const) {
        const { tracks } = await find(typed, field);
        expect(tracks.length, `"${typed}" (field=${field}) for "${word}"`).toBeGreaterThan(0);
        if (field === 'track') for (const t of tracks) expect(nearby(t.title), `"${t.title}" for "${typed}"`).toBe(true);
      }
      const sol = await find('Sol', 'track');
      expect(sol.tracks.length).toBeGreaterThan(0);
      for (const t of sol.tracks)
        expect(
          searchTerms(t.title).some((w) => w.startsWith('sol')),
          t.title,
        ).toBe(true);
    });

    it('offers "did you mean" in the catalog\'s words when the best hit needed a correction, and none for an exact name', async () => {
      const close = (word: string) =>
        [...vocabulary].filter((w) => typoDistance(word, w, allowedEdits(word.length)) <= allowedEdits(word.length));
      for (const kind of ['artist', 'album', 'track'] as const) {
        for (const item of sample(kind, 4, (it) => words(it).some(slippable))) {
          const exact = await find(item.name);
          expect(exact.didYouMean, `"${item.name}"`).toBeUndefined();
          // A slip with a single catalog word in reach and none it begins, so there is one right correction.
          let slipped = misspell(item, 'transposition');
          for (let attempt = 0; close(slipped.word).length !== 1 || [...vocabulary].some((w) => w.startsWith(slipped.word)); attempt++) {
            expect(attempt, `a slip of "${item.name}" with one correction`).toBeLessThan(50);
            slipped = misspell(item, typoKinds[attempt % typoKinds.length]!);
          }
          const corrected = await find(slipped.text);
          expect(corrected.didYouMean, `"${slipped.text}" for ${kind} "${item.name}"`).toBeDefined();
          expect(foldName(corrected.didYouMean!), `"${slipped.text}" for ${kind} "${item.name}"`).toBe(foldName(item.name));
        }
      }
    });

    it("names the artist as the top result for an artist's name, and the album for an album's name", async () => {
      for (const artist of sample('artist', 6, () => true)) {
        expect((await find(artist.name)).top, `artist "${artist.name}"`).toEqual({ kind: 'artist', id: artist.id });
        expect((await find(foldCase(artist.name))).top, `artist "${artist.name}" without accents`).toEqual({
          kind: 'artist',
          id: artist.id,
        });
      }
      const allArtists = new Set(catalog.map((t) => foldName(t.artist)));
      for (const album of sample('album', 6, (it) => !allArtists.has(foldName(it.name)))) {
        expect((await find(album.name)).top, `album "${album.name}"`).toEqual({ kind: 'album', id: album.id });
      }
      const lemonade = catalog.find((t) => t.album === 'Lemonade')!;
      expect((await find('lemonade')).top).toEqual({ kind: 'album', id: lemonade.albumId });
      expect((await find('Beyonce')).top).toEqual({ kind: 'artist', id: lemonade.artistId });
    });

    it('lists only the kinds whose hits match the most words: "hells bells" lists no album matching one word when tracks match both', async () => {
      // Track titles of two words or more, some of whose words name albums or artists too.
      const albumWords = new Set(catalog.flatMap((t) => searchTerms(`${t.album} ${t.artist}`)));
      const titles = sample(
        'track',
        8,
        (it) => searchTerms(it.name).length >= 2 && searchTerms(it.name).some((w) => albumWords.has(w)),
      ).map((it) => it.name);
      for (const text of ['hells bells', ...titles]) {
        const results = await find(text);
        const all = parseSearchQuery(text).length;
        const [best] = results.tracks;
        expect(best, text).toBeDefined();
        expect(matchOf(text, 'track', 'all', best!)?.coverage, text).toBe(all);
        for (const album of results.albums)
          expect(
            matchOf(text, 'album', 'all', { album: album.name, artist: album.artist })?.coverage,
            `album "${album.name}" for "${text}"`,
          ).toBe(all);
        for (const artist of results.artists)
          expect(matchOf(text, 'artist', 'all', { artist: artist.name })?.coverage, `artist "${artist.name}" for "${text}"`).toBe(all);
      }
    });

    it('never makes a corrected artist the top result above a track typed exactly', async () => {
      const [base] = catalog;
      const made = (id: string, title: string, artist: string) => ({
        ...toIndexedTrack(base!),
        id,
        title,
        artist,
        artistId: `ar_${id}`,
        album: `${title} Sessions`,
        albumId: `al_${id}`,
      });
      const track = made('tr_marzipane', 'Marzipane', 'Olwen Brackley');
      const byArtist = made('tr_marzipano', 'Quiet Harbour Waltz', 'Marzipano');
      await subject.search.upsert([track, byArtist]);
      await subject.settle();
      try {
        for (const text of ['Marzipane', 'marzipane']) expect((await find(text)).top, text).toEqual({ kind: 'track', id: track.id });
        expect((await find('Marzipano')).top).toEqual({ kind: 'artist', id: byArtist.artistId });
      } finally {
        await subject.search.remove([track.id, byArtist.id]);
        await subject.settle();
      }
    });

    it('ignores case and accents: beyonce finds Beyoncé, sigur ros finds Sigur Rós', async () => {
      for (const landmark of landmarks) {
        const track = catalog.find((t) => t.artist === landmark.artist && t.title === landmark.title)!;
        for (const q of [foldCase(landmark.artist), foldCase(landmark.artist).toUpperCase()]) {
          expect(top3(await find(q), 'artists', track.artistId), q).toBe(true);
        }
        expect(top3(await find(foldCase(landmark.album)), 'albums', track.albumId), landmark.album).toBe(true);
        expect(top3(await find(foldCase(landmark.title), 'track'), 'tracks', track.id), landmark.title).toBe(true);
      }
      expect((await find('beyonce')).artists[0]).toMatchObject({ name: 'Beyoncé', trackCount: 2, albumCount: 1 });
    });

    it('groups hits and honours the field filter', async () => {
      const all = await find('Beyoncé');
      expect(all.artists[0]?.name).toBe('Beyoncé');
      expect(all.albums[0]).toMatchObject({ name: 'Lemonade', artist: 'Beyoncé', trackCount: 2 });
      expect(all.tracks.map((t) => t.artist)).toContain('Beyoncé');
      const byTitle = await find('Beyoncé', 'track');
      expect(byTitle).toMatchObject({ tracks: [], albums: [], artists: [] });
      const byAlbum = await find('Lemonade', 'album');
      expect(byAlbum.artists).toEqual([]);
      expect(byAlbum.albums[0]?.name).toBe('Lemonade');
      expect(byAlbum.tracks.every((t) => t.album === 'Lemonade')).toBe(true);
    });

    it('puts exact title matches first and pages with offset and more', async () => {
      const exact = catalog.find((t) => t.title.split(' ').length === 1 && catalog.filter((u) => u.title.includes(t.title)).length >= 3)!;
      const first = await subject.search.search({ text: exact.title, field: 'track', limit: 2, offset: 0 });
      expect(first.tracks[0]!.title).toBe(exact.title);
      expect(first.more).toBe(true);
      const second = await subject.search.search({ text: exact.title, field: 'track', limit: 2, offset: 2 });
      expect(second.tracks.map((t) => t.id)).not.toContain(first.tracks[0]!.id);
    });

    it('suggests artists, albums and titles as you type', async () => {
      const suggestions = await subject.search.suggest('beyo', 5);
      expect(suggestions[0]).toEqual({ text: 'Beyoncé', kind: 'artist', id: expect.stringMatching(/^ar_/) });
      const sigur = await subject.search.suggest('sigur', 5);
      expect(sigur.map((s) => s.text)).toContain('Sigur Rós');
      expect(await subject.search.suggest('   ', 5)).toEqual([]);
    });

    it('treats query syntax as text and answers blank queries with nothing', async () => {
      for (const q of [`beyonce"`, `(sigur) | -ros`, `a*~1 \\ 'x' kind:'album'`, '+++', `)(`, 'AC/DC']) {
        await expect(find(q)).resolves.toBeDefined();
      }
      expect((await find('AC/DC')).artists[0]?.name).toBe('AC/DC');
      expect(await find('  ')).toMatchObject({ tracks: [], albums: [], artists: [] });
    });

    it('replaces changed tracks and forgets removed ones', async () => {
      const [track] = catalog.filter((t) => t.artist === 'Motörhead');
      await subject.search.upsert([{ ...toIndexedTrack(track!), title: 'Quokkadrome Anthem' }]);
      await subject.settle();
      expect((await find('quokkadrome')).tracks.map((t) => t.id)).toEqual([track!.id]);
      await subject.search.remove([track!.id]);
      await subject.settle();
      expect((await find('quokkadrome')).tracks).toEqual([]);
    });
  });
}
