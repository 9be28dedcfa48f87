import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackRecord } from '../../backend/domain/catalog';
import { toIndexedTrack, type SearchField, type SearchResults, type TrackSearch } from '../../backend/domain/search';
import { generateCatalog, landmarks } from './search-catalog';
import { seededRandom } from './random';

export interface ContractSubject {
  search: TrackSearch;
  /** Makes writes visible (publish a snapshot and reload; no-op for CloudSearch). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** One typo: a letter in the middle of the word is replaced (the first letter stays, as people type). */
function typo(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  const letter = word[at] === 'x' ? 'z' : 'x';
  return word.slice(0, at) + letter + word.slice(at + 1);
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{Diacritic}/gu, '').replace(/æ/g, 'ae');

const top3 = (results: SearchResults, kind: 'tracks' | 'albums' | 'artists', id: string) =>
  (results[kind] as { id: string }[]).slice(0, 3).map((item) => item.id).includes(id);

/**
 * The behaviour every `TrackSearch` adapter must have, run against each one on the same
 * generated catalog: relevance (exact, 3-letter prefix, one typo, no accents → intended item in
 * the top 3), grouping, field filters, paging, removal, suggestions and hostile input.
 */
export function describeSearchContract(name: string, start: () => Promise<ContractSubject>, catalogSize = 2000) {
  describe(`TrackSearch contract: ${name}`, () => {
    let subject: ContractSubject;
    let catalog: TrackRecord[];
    const random = seededRandom(42);

    beforeAll(async () => {
      subject = await start();
      catalog = generateCatalog(catalogSize, 5);
      await subject.search.upsert(catalog.map(toIndexedTrack));
      await subject.settle();
    });
    afterAll(() => subject?.stop());

    const find = (text: string, field: SearchField = 'all') => subject.search.search({ text, field, limit: 10, offset: 0 });

    // Items whose name is unique in the catalog, so "the intended item" is well defined.
    const sample = (pick: (t: TrackRecord) => string, id: (t: TrackRecord) => string, count: number) => {
      const byName = new Map<string, Set<string>>();
      for (const t of catalog) byName.set(fold(pick(t)).toLowerCase(), (byName.get(fold(pick(t)).toLowerCase()) ?? new Set()).add(id(t)));
      const words = (t: TrackRecord) => pick(t).split(' ');
      const unique = catalog.filter(
        (t) => byName.get(fold(pick(t)).toLowerCase())!.size === 1 && words(t).length >= 2 && words(t)[0]!.length >= 5 && words(t).at(-1)!.length > 3,
      );
      return Array.from({ length: count }, () => unique[Math.floor(random() * unique.length)]!);
    };

    const cases = [
      { kind: 'artists', field: 'artist', name: (t: TrackRecord) => t.artist, id: (t: TrackRecord) => t.artistId },
      { kind: 'albums', field: 'album', name: (t: TrackRecord) => t.album, id: (t: TrackRecord) => t.albumId },
      { kind: 'tracks', field: 'track', name: (t: TrackRecord) => t.title, id: (t: TrackRecord) => t.id },
    ] as const;

    for (const c of cases) {
      it(`finds ${c.kind} by exact name, as typed (last word cut to 3 letters), with one typo, without accents`, async () => {
        for (const track of sample(c.name, c.id, 8)) {
          const name = c.name(track);
          const [first, ...rest] = name.split(' ');
          const typed = [first, ...rest.slice(0, -1), rest.at(-1)!.slice(0, 3)].join(' ');
          const queries = [name, typed, [typo(first!, random), ...rest].join(' '), fold(name).toLowerCase()];
          for (const q of queries) {
            for (const field of ['all', c.field] as const) {
              const results = await find(q, field);
              expect(top3(results, c.kind, c.id(track)), `${c.kind} "${name}" for "${q}" (field=${field})`).toBe(true);
            }
          }
        }
      });
    }

    it('ignores case and accents: beyonce finds Beyoncé, sigur ros finds Sigur Rós', async () => {
      for (const landmark of landmarks) {
        const track = catalog.find((t) => t.artist === landmark.artist && t.title === landmark.title)!;
        for (const q of [fold(landmark.artist).toLowerCase(), fold(landmark.artist).toUpperCase()]) {
          expect(top3(await find(q), 'artists', track.artistId), q).toBe(true);
        }
        expect(top3(await find(fold(landmark.album).toLowerCase()), 'albums', track.albumId), landmark.album).toBe(true);
        expect(top3(await find(fold(landmark.title).toLowerCase(), 'track'), 'tracks', track.id), landmark.title).toBe(true);
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
