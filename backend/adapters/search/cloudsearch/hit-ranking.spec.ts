import { describe, expect, it } from 'vitest';
import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack } from '../../../domain/search';
import { parseSearchQuery } from '../../../domain/search-ranking';
import { seededRandom } from '../../../../test/support/random';
import { bestCoverageOnly, bestHits, rankHits, RANK_WINDOW, type HitWindow } from './hit-ranking';

const track = (id: string, title: string, artist = 'Vieh', album = 'Harbour Lights'): IndexedTrack => ({
  id,
  title,
  artist,
  artistId: 'ar_vieh',
  album,
  albumId: 'al_harbour',
  durationMs: 1000,
});

const hitOf = (record: IndexedTrack | IndexedAlbum | Artist) => ({ id: `x:${record.id}`, fields: { doc: [JSON.stringify(record)] } });

/** What a domain answers a request for the first `size` hits of `order` (its own relevance order). */
const windowOf = (order: readonly IndexedTrack[], size: number): HitWindow => ({
  hits: order.slice(0, size).map(hitOf),
  found: order.length,
});

const ids = (ranked: { id: string }[]) => ranked.map((r) => r.id);

describe('CloudSearch hit ranking', () => {
  it('orders the window by the shared ranking: the exact name first, wherever the domain put it', () => {
    const terms = parseSearchQuery('love song');
    const order = [
      track('tr_long', 'Love Song for a Rainy Afternoon'),
      track('tr_other', 'Another Love Song'),
      track('tr_exact', 'Love Song'),
    ];
    const { ranked, more } = rankHits(terms, 'all', 'track', windowOf(order, RANK_WINDOW), 20);
    expect(ids(ranked)[0]).toBe('tr_exact');
    expect(ids(ranked)).toHaveLength(3);
    expect(more).toBe(false);
  });

  it('keeps only the hits matching the most words, as the embedded adapter does', () => {
    const terms = parseSearchQuery('thunder road');
    const order = [track('tr_thunder', 'Thunder'), track('tr_both', 'Thunder Road'), track('tr_road', 'Road Trip')];
    expect(ids(rankHits(terms, 'track', 'track', windowOf(order, RANK_WINDOW), 20).ranked)).toEqual(['tr_both']);
  });

  it('pages through more hits than the window without repeating or skipping one', () => {
    const random = seededRandom(11);
    const tracks = Array.from({ length: RANK_WINDOW + 45 }, (_, i) =>
      track(`tr_${String(i).padStart(3, '0')}`, `Love ${'x'.repeat(1 + Math.floor(random() * 9))} ${i}`),
    );
    // The domain's own order, unrelated to the shared ranking's.
    const order = [...tracks].sort(() => random() - 0.5);
    const terms = parseSearchQuery('love');
    const limit = 20;
    const seen: string[] = [];
    for (let offset = 0; ; offset += limit) {
      const end = offset + limit;
      const { ranked, more } = rankHits(terms, 'all', 'track', windowOf(order, Math.max(end + 1, RANK_WINDOW)), end);
      seen.push(...ids(ranked.slice(offset, end)));
      if (!more) break;
    }
    expect(seen).toHaveLength(tracks.length);
    expect(new Set(seen).size).toBe(tracks.length);
    // Beyond the window, the domain's order stands.
    expect(seen.slice(RANK_WINDOW)).toEqual(order.slice(RANK_WINDOW).map((t) => t.id));
    // Within it, the shared ranking's: shorter names first among equal matches.
    const lengths = seen.slice(0, RANK_WINDOW).map((id) => tracks.find((t) => t.id === id)!.title.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('says another page follows only when it has hits', () => {
    const terms = parseSearchQuery('love');
    const loves = Array.from({ length: 30 }, (_, i) => track(`tr_${i}`, `Love ${i}`));
    expect(rankHits(terms, 'all', 'track', windowOf(loves, 30), 20).more).toBe(true);
    expect(rankHits(terms, 'all', 'track', windowOf(loves, 30), 30).more).toBe(false);
    // Unfetched hits follow a window where every hit was kept…
    expect(rankHits(terms, 'all', 'track', windowOf(loves, 10), 10).more).toBe(true);
    // …but not one that already dropped hits matching fewer words: those later are scored lower still.
    const partial = [track('tr_both', 'Thunder Road'), track('tr_one', 'Road Trip'), track('tr_other', 'Back Road')];
    expect(rankHits(parseSearchQuery('thunder road'), 'track', 'track', windowOf(partial, 2), 1).more).toBe(false);
  });

  it('shows only the kinds whose best hit matches the most words', () => {
    const terms = parseSearchQuery('hells bells');
    const tracks = rankHits(terms, 'all', 'track', windowOf([track('tr_both', 'Hells Bells')], RANK_WINDOW), 20);
    const album: IndexedAlbum = { id: 'al_belle', name: 'Belles', artist: 'Vieh', artistId: 'ar_vieh', trackCount: 1 };
    const albums = rankHits(terms, 'all', 'album', { hits: [hitOf(album)], found: 1 }, 20);
    expect(albums.ranked).toHaveLength(1);
    const shown = bestCoverageOnly([tracks, albums]);
    expect(ids(shown[0]!.ranked)).toEqual(['tr_both']);
    expect(shown[1]).toEqual({ kind: 'album', ranked: [], more: false });
    expect(bestCoverageOnly([albums])[0]!.ranked).toHaveLength(1);
  });

  it("describes each kind's best hit by the names it is shown with", () => {
    const terms = parseSearchQuery('smlal hours');
    const tracks = rankHits(terms, 'all', 'track', windowOf([track('tr_hours', 'Small Hours')], RANK_WINDOW), 20);
    const best = bestHits('all', [tracks]);
    expect(best.track).toMatchObject({ id: 'tr_hours', names: ['Small Hours', 'Vieh'], match: { coverage: 2, edits: 1 } });
    expect(bestHits('track', [tracks]).track?.names).toEqual(['Small Hours']);
    expect(best).not.toHaveProperty('album');
  });
});
