import { MAX_QUERY_LENGTH } from '../../shared/api';
import type { ImportedItem } from './playlist-files-model';
import type { IndexedTrack, SearchHits, SearchQuery } from './search';
import { foldName, MAX_QUERY_TERMS, queryTerms } from './search-text';
import { typoDistance } from './search-typos';

/**
 * How alike an artist or a title must be to the catalog's for a line to count as that track:
 * 1 - edits / length of the longer (folded) name. 0.8 lets "Adel" find "Adele" and "Bohemian
 * Rhapsodie" "Bohemian Rhapsody", and keeps "Help" from "Hello" or "Hello" from another artist's.
 */
export const MATCH_THRESHOLD = 0.8;

/** Hits looked at per line: typo-tolerant search puts the track asked for among the first few. */
const HITS_PER_LINE = 10;
/** Lines searched at once: the embedded index answers in-process, CloudSearch over the network. */
const CONCURRENT_SEARCHES = 8;

/** Catalog lookups the matching needs: which of our own ids still exist, and the track search. */
export interface TrackMatchPorts {
  /** The ids among `ids` of tracks in the catalog. */
  existingIds(ids: readonly string[]): Promise<ReadonlySet<string>>;
  search(query: SearchQuery): Promise<SearchHits>;
}

/** `foldName`, shorter names counting whole (no edits allowed under 4 letters). */
function similarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  const longest = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < 4) return 0;
  return 1 - typoDistance(a, b, longest) / longest;
}

/**
 * "The Beatles" and "Beatles" are one band, as are "Kito & Mara", "Kito + Mara" and "Kito and Mara";
 * "Artist feat. Guest" is the artist's track.
 */
const artistForms = (name: string): string[] => {
  const folded = [foldName(name), foldName(name.replace(/\s*[&+]\s*/g, ' and '))];
  const main = folded.map((form) => form.split(/\s(?:feat|ft|featuring|with|x|and)\s/)[0]!);
  return [...new Set([...folded, ...main].flatMap((form) => [form, form.replace(/^the\s/, '')]))];
};

/** "Title (Remastered 2009)", "Title [Live]" and "Title - Radio Edit" are the title too. */
const titleForms = (name: string): string[] => {
  const bare = name
    .replace(/\s*[([][^)\]]*[)\]]/g, '')
    .replace(/\s+[-–—]\s+.*$/, '')
    .trim();
  return [...new Set([foldName(name), foldName(bare)].filter(Boolean))];
};

const bestOf = (wanted: string[], found: string[]) => Math.max(0, ...wanted.flatMap((w) => found.map((f) => similarity(w, f))));

/**
 * How well a catalog track answers a line, 0–1, or 0 when the artist or the title is not
 * alike enough. A line that names no artist (a bare file name) must name the title exactly.
 */
export function matchScore(item: Pick<ImportedItem, 'artist' | 'title'>, track: Pick<IndexedTrack, 'artist' | 'title'>): number {
  if (!item.title) return 0;
  const title = bestOf(titleForms(item.title), titleForms(track.title));
  if (!item.artist) return title === 1 ? title : 0;
  const artist = bestOf(artistForms(item.artist), artistForms(track.artist));
  return title >= MATCH_THRESHOLD && artist >= MATCH_THRESHOLD ? (title + artist) / 2 : 0;
}

/**
 * The search text for a line: its title's words, then its artist's, as many as a query takes
 * (`MAX_QUERY_TERMS` words, `MAX_QUERY_LENGTH` characters: what the search is built for).
 */
function queryFor(item: ImportedItem): string {
  let query = '';
  for (const term of queryTerms(`${item.title ?? ''} ${item.artist ?? ''}`).slice(0, MAX_QUERY_TERMS)) {
    const longer = query ? `${query} ${term}` : term;
    if (longer.length > MAX_QUERY_LENGTH) break;
    query = longer;
  }
  return query;
}

/** The best hit that answers the line well enough, the search's order breaking ties. */
export function bestHit(item: ImportedItem, hits: readonly IndexedTrack[]): string | undefined {
  let best: { id: string; score: number } | undefined;
  for (const hit of hits) {
    const score = matchScore(item, hit);
    if (score > 0 && (!best || score > best.score)) best = { id: hit.id, score };
  }
  return best?.id;
}

/**
 * The catalog track of each line, in file order (undefined where none fits): the id our own
 * export wrote when that track is still in the catalog, else the best search hit whose artist
 * and title both match well enough. Lines naming the same track are searched once.
 */
export async function matchImportedItems(items: readonly ImportedItem[], ports: TrackMatchPorts): Promise<(string | undefined)[]> {
  const ids = [...new Set(items.flatMap((item) => item.trackId ?? []))];
  const existing = ids.length ? await ports.existingIds(ids) : new Set<string>();
  const searches = new Map<string, Promise<string | undefined>>();
  const pending: { query: string; item: ImportedItem; resolve: (id: string | undefined) => void; reject: (e: unknown) => void }[] = [];
  const lookups = items.map((item) => {
    if (item.trackId && existing.has(item.trackId)) return Promise.resolve(item.trackId);
    const query = queryFor(item);
    if (!query || !item.title) return Promise.resolve(undefined);
    const key = `${query}\u0000${item.artist ?? ''}\u0000${item.title}`;
    let found = searches.get(key);
    if (!found) {
      found = new Promise((resolve, reject) => pending.push({ query, item, resolve, reject }));
      searches.set(key, found);
    }
    return found;
  });
  // A few searches at a time, each worker taking the next line when it is done.
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      try {
        const hits = await ports.search({ text: next.query, field: 'all', limit: HITS_PER_LINE, offset: 0 });
        next.resolve(bestHit(next.item, hits.tracks));
      } catch (error) {
        next.reject(error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_SEARCHES }, worker));
  return Promise.all(lookups);
}
