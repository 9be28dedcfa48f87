import {
  compareMatches,
  matchCandidate,
  type Candidate,
  type QueryTerm,
  type Ranked,
  type SearchKind,
  type TextField,
} from '../../../domain/search-ranking';
import type { TrackPlays } from '../../../domain/search';
import { MAX_QUERY_TERMS } from '../../../domain/search-text';
import type { CatalogTables } from './catalog-tables';
import { MinHeap } from './min-heap';
import { answer, expandTerms, spells, type TermExpansion } from './term-expansion';
import { Vocabulary } from './vocabulary';

/** Documents per word id: `docs[start[w]]` up to `docs[start[w + 1]]`, so a range of words is one run of postings. */
interface Postings {
  start: Uint32Array;
  docs: Uint32Array;
}

/** What a search of one kind looks at: its fields with weights, and which texts are its names. */
export interface KindQuery {
  kind: SearchKind;
  fields: Partial<Record<TextField, number>>;
  names: readonly TextField[];
}

/** A ranked hit: its row in the kind's columns. */
export interface RankedRow extends Ranked {
  row: number;
}

/** The best hits of a kind, how many documents match the most query words, and how many words that is. */
export interface RankedKind {
  rows: RankedRow[];
  total: number;
  coverage: number;
}

const fieldsOf: Record<SearchKind, TextField[]> = { track: ['title', 'artist', 'album'], album: ['album', 'artist'], artist: ['artist'] };
const kinds: SearchKind[] = ['track', 'album', 'artist'];

// The query words a document matched are one bit each of a byte, counted by table.
if (MAX_QUERY_TERMS > 8) throw new Error('text-index: a query of more than 8 words needs wider per-document masks');
const bitCount = Uint8Array.from({ length: 256 }, (_, mask) => {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
});

/**
 * Buffers of one kind, reused by every query: per document, the accumulators of the postings
 * pass (cleared after each); per candidate, its optimistic key and the heap that orders them.
 */
class Scratch {
  readonly mask: Uint8Array;
  readonly edits: Uint16Array;
  readonly weight: Float64Array;
  readonly termWeight: Float64Array;
  readonly candidates: {
    rows: Uint32Array;
    edits: Uint16Array;
    weight: Float64Array;
    tier: Uint8Array;
    popularity: Float64Array;
    nameLength: Uint32Array;
    heap: Uint32Array;
  };

  constructor(n: number) {
    this.mask = new Uint8Array(n);
    this.edits = new Uint16Array(n);
    this.weight = new Float64Array(n);
    this.termWeight = new Float64Array(n);
    this.candidates = {
      rows: new Uint32Array(n),
      edits: new Uint16Array(n),
      weight: new Float64Array(n),
      tier: new Uint8Array(n),
      popularity: new Float64Array(n),
      nameLength: new Uint32Array(n),
      heap: new Uint32Array(n),
    };
  }
}

/**
 * The inverted index over the catalog columns: per kind and field, the documents of each word,
 * and the vocabulary the query words are expanded against. Built from the columns in one pass
 * per field (no text is folded again), the first time a loaded or changed catalog is searched.
 */
export class TextIndex {
  readonly vocabulary: Vocabulary;
  /** Characters of each text: the name length that ranks shorter names first. */
  private readonly textLength: Uint32Array;
  private readonly postings = new Map<string, Postings>();
  private readonly scratch = new Map<SearchKind, Scratch>();
  /** Per published week of plays, the plays of each track row: one pass per publication, not a lookup per candidate. */
  private readonly playsByRow = new WeakMap<TrackPlays, Float64Array>();

  constructor(private readonly tables: CatalogTables) {
    for (const kind of kinds) {
      for (const field of fieldsOf[kind]) this.postings.set(`${kind}.${field}`, this.invert(tables.fieldTexts(kind, field)!));
    }
    this.vocabulary = new Vocabulary(tables.columns.words);
    this.textLength = Uint32Array.from(tables.columns.texts, (text) => text.length);
  }

  /** Each query word's catalog words (term-expansion.ts). */
  expand(terms: readonly QueryTerm[]): TermExpansion[] {
    return expandTerms(this.vocabulary, terms);
  }

  /**
   * The best `want` documents of a kind in ranking order, and how many documents match the
   * most query words (the length of the full list).
   *
   * Matching every candidate word by word would cost most for the commonest words, so each
   * candidate first gets an optimistic key from the postings (exact coverage and edits, at most
   * this tier and weight). Candidates are taken in that order and matched exactly; matching
   * stops once `want` of them rank above the next key, since none after it can do better. The
   * order comes from buckets of (edits, tier), each heap-ordered only when reached: for a common
   * word most candidates sit in buckets never reached (one heap over all of them measured slower).
   */
  rank(query: KindQuery, terms: readonly QueryTerm[], expansions: readonly TermExpansion[], want: number, plays?: TrackPlays): RankedKind {
    const popularityOf = this.popularityFor(query.kind, plays);
    const fields = (Object.entries(query.fields) as [TextField, number][]).map(([field, weight]) => ({
      weight,
      postings: this.postings.get(`${query.kind}.${field}`)!,
    }));
    const { count, coverage } = this.gather(query.kind, fields, expansions);
    const { rows, edits, weight, tier, popularity, nameLength, heap: items } = this.scratchFor(query.kind).candidates;
    const names = query.names.map((field) => this.tables.fieldTexts(query.kind, field)!);
    const complete = coverage === terms.length;
    // Buckets of (edits, tier), best first; a query word takes at most two edits.
    const mostEdits = 2 * MAX_QUERY_TERMS;
    const bucketStart = new Uint32Array(3 * (mostEdits + 1) + 1);
    for (let i = 0; i < count; i++) {
      const row = rows[i]!;
      tier[i] = complete ? this.tierBound(names, row, expansions, edits[i] === 0) : 0;
      popularity[i] = popularityOf(row);
      nameLength[i] = this.textLength[names[0]![row]!]!;
      bucketStart[edits[i]! * 3 + 2 - tier[i]! + 1]!++;
    }
    for (let b = 1; b < bucketStart.length; b++) bucketStart[b]! += bucketStart[b - 1]!;
    const next = bucketStart.slice();
    for (let i = 0; i < count; i++) items[next[edits[i]! * 3 + 2 - tier[i]!]!++] = i;

    const id = (i: number) => this.tables.id(query.kind, rows[i]!);
    // The order of compareMatches, on the optimistic keys.
    const before = (i: number, j: number) => {
      const order =
        edits[i]! - edits[j]! ||
        tier[j]! - tier[i]! ||
        weight[j]! - weight[i]! ||
        popularity[j]! - popularity[i]! ||
        nameLength[i]! - nameLength[j]!;
      return order !== 0 ? order < 0 : id(i) < id(j);
    };
    const matcher = (term: QueryTerm, word: string) => answer(expansions[term.position]!, word);
    const best: RankedRow[] = [];
    for (let b = 0; b + 1 < bucketStart.length; b++) {
      if (bucketStart[b] === bucketStart[b + 1]) continue;
      const heap = new MinHeap(items.subarray(bucketStart[b]!, bucketStart[b + 1]!), before);
      while (heap.size > 0) {
        const i = heap.pop();
        const bound: RankedRow = {
          row: rows[i]!,
          id: id(i),
          match: { coverage, edits: edits[i]!, tier: tier[i] as 0 | 1 | 2, weight: weight[i]!, terms: [] },
          popularity: popularity[i]!,
          nameLength: nameLength[i]!,
        };
        if (best.length >= want && compareMatches(best[want - 1]!, bound) <= 0) return { rows: best, total: count, coverage };
        const ranked = { ...bound, match: matchCandidate(terms, this.candidate(query, bound.row, popularityOf), matcher)! };
        // Binary search: deep pages (offsets up to 10,000) keep thousands of hits in order.
        let low = 0;
        let high = best.length;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (compareMatches(best[middle]!, ranked) <= 0) low = middle + 1;
          else high = middle;
        }
        best.splice(low, 0, ranked);
        if (best.length > want) best.pop();
      }
    }
    return { rows: best, total: count, coverage };
  }

  /**
   * How popular a row is: for tracks with published plays, its weekly plays (0 when unlisted);
   * otherwise the index's own count.
   */
  private popularityFor(kind: SearchKind, plays: TrackPlays | undefined): (row: number) => number {
    if (kind !== 'track' || !plays) return (row) => this.tables.popularity(kind, row);
    let byRow = this.playsByRow.get(plays);
    if (!byRow) {
      byRow = new Float64Array(this.tables.documentCount('track'));
      for (let row = 0; row < byRow.length; row++) byRow[row] = plays.byTrack.get(this.tables.id('track', row)) ?? 0;
      this.playsByRow.set(plays, byRow);
    }
    const column = byRow;
    return (row) => column[row]!;
  }

  private candidate(query: KindQuery, row: number, popularityOf: (row: number) => number): Candidate {
    const words = (field: TextField) => this.tables.wordsOf(this.tables.fieldTexts(query.kind, field)![row]!);
    return {
      id: this.tables.id(query.kind, row),
      fields: (Object.entries(query.fields) as [TextField, number][]).map(([field, weight]) => ({ words: words(field), weight })),
      names: query.names.map(words),
      popularity: popularityOf(row),
      nameLength: this.tables.text(this.tables.fieldTexts(query.kind, query.names[0]!)![row]!).length,
    };
  }

  /**
   * The tier a document can reach at best: its name must spell the corrected query (each query
   * word as typed, or the word it was corrected to). Without corrections that query is known
   * and the tier exact: 2 when a name is the typed words, 1 when it starts with them (its last
   * word completing the last typed one). With corrections, any correction may be the one used,
   * and the last word is left open.
   */
  private tierBound(names: readonly Int32Array[], row: number, expansions: readonly TermExpansion[], asTyped: boolean): 0 | 1 | 2 {
    const { wordStart, wordIds, words } = this.tables.columns;
    const k = expansions.length;
    let tier: 0 | 1 | 2 = 0;
    for (const texts of names) {
      const text = texts[row]!;
      const from = wordStart[text]!;
      const length = wordStart[text + 1]! - from;
      if (length < k) continue;
      let agree = 0;
      if (asTyped) {
        while (agree < k - 1 && wordIds[from + agree] === expansions[agree]!.exact) agree++;
        if (agree < k - 1) continue;
        const last = wordIds[from + k - 1]!;
        if (length === k && last === expansions[k - 1]!.exact) return 2;
        const { startingWith } = expansions[k - 1]!;
        if (last >= startingWith.from && last < startingWith.to) tier = 1;
      } else {
        while (agree < k && spells(expansions[agree]!, wordIds[from + agree]!, words)) agree++;
        if (agree === k && length === k) return 2;
        if (agree >= k - 1) tier = 1;
      }
    }
    return tier;
  }

  /**
   * Unions the postings of every expansion into per-document masks of matched query words and
   * keeps the documents matching the most. The unchanged words come first, then corrections
   * by fewest edits, so the first hit of a query word on a document carries its fewest edits;
   * the weight is the heaviest field the word matched in at all, which is at least what ranking
   * will find. A word repeated in the query is one pass, counted as often as it is repeated.
   */
  private gather(kind: SearchKind, fields: readonly { weight: number; postings: Postings }[], expansions: readonly TermExpansion[]) {
    const s = this.scratchFor(kind);
    const touched: number[] = [];
    const passes = new Map<TermExpansion, { bits: number; times: number }>();
    for (const [position, expansion] of expansions.entries()) {
      const pass = passes.get(expansion) ?? { bits: 0, times: 0 };
      pass.bits |= 1 << position;
      pass.times++;
      passes.set(expansion, pass);
    }
    for (const [expansion, { bits, times }] of passes) {
      // Runs of word ids with their edits: the unchanged words are one run.
      const runs = [{ from: expansion.unchanged.from, to: expansion.unchanged.to, edits: 0 }];
      for (const { id, edits } of expansion.corrections.values()) runs.push({ from: id, to: id + 1, edits });
      const matched: number[] = [];
      for (const { from, to, edits } of runs) {
        for (const { weight, postings } of fields) {
          const end = postings.start[to]!;
          for (let p = postings.start[from]!; p < end; p++) {
            const doc = postings.docs[p]!;
            const mask = s.mask[doc]!;
            if ((mask & bits) === 0) {
              if (mask === 0) touched.push(doc);
              s.mask[doc] = mask | bits;
              s.edits[doc]! += edits * times;
              matched.push(doc);
            }
            if (weight > s.termWeight[doc]!) s.termWeight[doc] = weight;
          }
        }
      }
      for (const doc of matched) {
        s.weight[doc]! += s.termWeight[doc]! * times;
        s.termWeight[doc] = 0;
      }
    }
    let coverage = 0;
    for (const doc of touched) coverage = Math.max(coverage, bitCount[s.mask[doc]!]!);
    const { rows, edits, weight } = s.candidates;
    let count = 0;
    for (const doc of touched) {
      if (bitCount[s.mask[doc]!] === coverage) {
        rows[count] = doc;
        edits[count] = s.edits[doc]!;
        weight[count++] = s.weight[doc]!;
      }
      s.mask[doc] = 0;
      s.edits[doc] = 0;
      s.weight[doc] = 0;
    }
    return { count, coverage };
  }

  private scratchFor(kind: SearchKind): Scratch {
    let scratch = this.scratch.get(kind);
    if (!scratch) {
      scratch = new Scratch(this.tables.documentCount(kind));
      this.scratch.set(kind, scratch);
    }
    return scratch;
  }

  /** Counting sort of (word, document) pairs into postings. */
  private invert(texts: Int32Array): Postings {
    const { wordStart, wordIds, words } = this.tables.columns;
    const start = new Uint32Array(words.length + 1);
    for (const text of texts) {
      for (let k = wordStart[text]!; k < wordStart[text + 1]!; k++) start[wordIds[k]! + 1]!++;
    }
    for (let w = 0; w < words.length; w++) start[w + 1]! += start[w]!;
    const docs = new Uint32Array(start[words.length]!);
    const next = start.slice(0, words.length);
    for (const [doc, text] of texts.entries()) {
      for (let k = wordStart[text]!; k < wordStart[text + 1]!; k++) docs[next[wordIds[k]!]!++] = doc;
    }
    return { start, docs };
  }
}
