import { withShortWordEdits, type QueryTerm, type TermMatch } from '../../../domain/search-ranking';
import type { Vocabulary, WordRange } from './vocabulary';

/** A catalog word within a query word's edits, and its id. */
interface Correction extends TermMatch {
  id: number;
}

/** The catalog words that answer one query word. */
export interface TermExpansion {
  text: string;
  prefix: boolean;
  /** The word as typed, or -1 when no catalog text has it. */
  exact: number;
  /** The words that start with the typed word, itself included. */
  startingWith: WordRange;
  /** The words that answer it unchanged: the word being typed and its completions (`startingWith`), or the word alone. */
  unchanged: WordRange;
  /** By word, the words within its edits that answer it no other way, fewest edits first. */
  corrections: ReadonlyMap<string, Correction>;
}

/**
 * Each query word's catalog words: itself, the words it starts when it is the word being
 * typed, and those within its edits. A short word (no edits) that found nothing either way
 * gets one edit after all. A word repeated in the query is expanded once.
 */
export function expandTerms(vocabulary: Vocabulary, terms: readonly QueryTerm[]): TermExpansion[] {
  const done = new Map<string, TermExpansion>();
  return terms.map((term) => {
    const key = `${term.prefix ? 'p' : 'w'}${term.maxEdits}:${term.text}`;
    let expansion = done.get(key);
    if (!expansion) {
      expansion = expandTerm(vocabulary, term);
      done.set(key, expansion);
    }
    return expansion;
  });
}

function expandTerm(vocabulary: Vocabulary, term: QueryTerm): TermExpansion {
  const exact = vocabulary.id(term.text);
  const startingWith = vocabulary.startingWith(term.text);
  const unchanged = term.prefix ? startingWith : exact >= 0 ? { from: exact, to: exact + 1 } : { from: 0, to: 0 };
  const { maxEdits } = unchanged.to > unchanged.from ? term : withShortWordEdits(term);
  const corrections = new Map<string, Correction>();
  if (maxEdits > 0) {
    const hits = vocabulary.withinEdits(term.text, maxEdits).filter(({ id }) => id < unchanged.from || id >= unchanged.to);
    hits.sort((a, b) => a.edits - b.edits);
    for (const { id, edits } of hits) corrections.set(vocabulary.words[id]!, { id, word: vocabulary.words[id]!, edits, prefix: false });
  }
  return { text: term.text, prefix: term.prefix, exact, startingWith, unchanged, corrections };
}

/** How `word` answers the expanded query word, in the order of the domain's `matchTerm`; undefined when it does not. */
export function answer(expansion: TermExpansion, word: string): TermMatch | undefined {
  if (word === expansion.text) return { word, edits: 0, prefix: false };
  if (expansion.prefix && word.startsWith(expansion.text)) return { word, edits: 0, prefix: true };
  return expansion.corrections.get(word);
}

/** Whether word `id` spells the query word as a corrected query would: as typed or corrected, not completed. */
export const spells = (expansion: TermExpansion, id: number, words: readonly string[]) =>
  id === expansion.exact || expansion.corrections.has(words[id]!);
