/** A catalog word found for a query word: its id in the vocabulary and the edits it took. */
export interface WordHit {
  id: number;
  edits: number;
}

/** A contiguous range of word ids: `from` up to (not including) `to`. */
export interface WordRange {
  from: number;
  to: number;
}

/**
 * Every distinct folded word of the catalog, sorted (JavaScript string order). Word ids are
 * positions in the sorted list, so the words that start with a prefix are one contiguous range.
 */
export class Vocabulary {
  private trie: Trie | undefined;

  constructor(readonly words: readonly string[]) {}

  get size(): number {
    return this.words.length;
  }

  /** The id of `word`, or -1 when no catalog text has it. */
  id(word: string): number {
    const at = this.lowerBound(word, 0);
    return this.words[at] === word ? at : -1;
  }

  /** The words that start with `prefix`, itself included when present. */
  startingWith(prefix: string): WordRange {
    const from = this.lowerBound(prefix, 0);
    // Words that start with the prefix sort below it followed by U+FFFF, which no folded word contains.
    return { from, to: this.lowerBound(`${prefix}\uffff`, from) };
  }

  /**
   * The words within `maxEdits` optimal-string-alignment edits of `word` (an adjacent swap is
   * one edit), `word` itself included when present.
   */
  withinEdits(word: string, maxEdits: number): WordHit[] {
    this.trie ??= Trie.of(this.words);
    return this.trie.withinEdits(word, maxEdits);
  }

  /** The first id from `low` on whose word is not below `word`. */
  private lowerBound(word: string, low: number): number {
    let high = this.words.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.words[middle]! < word) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/**
 * The sorted words as a trie in flat arrays (node → first child, next sibling, letter, word id),
 * built in one pass over the sorted list the first time a typo lookup needs it.
 */
class Trie {
  private constructor(
    private readonly letter: Uint16Array,
    private readonly firstChild: Int32Array,
    private readonly nextSibling: Int32Array,
    private readonly wordAt: Int32Array,
    private readonly depth: number,
  ) {}

  static of(words: readonly string[]): Trie {
    let capacity = 1;
    for (const word of words) capacity += word.length;
    const letter = new Uint16Array(capacity);
    const firstChild = new Int32Array(capacity).fill(-1);
    const nextSibling = new Int32Array(capacity).fill(-1);
    const lastChild = new Int32Array(capacity).fill(-1);
    const wordAt = new Int32Array(capacity).fill(-1);
    let nodes = 1;
    let depth = 0;
    // path[d] is the node of the previous word's first d letters.
    const path = [0];
    let previous = '';
    for (const [id, word] of words.entries()) {
      let shared = 0;
      while (shared < word.length && shared < previous.length && word.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
      path.length = shared + 1;
      for (let d = shared; d < word.length; d++) {
        const parent = path[d]!;
        const node = nodes++;
        letter[node] = word.charCodeAt(d);
        // Sorted input: a new child is always the last of its siblings.
        if (lastChild[parent] === -1) firstChild[parent] = node;
        else nextSibling[lastChild[parent]!] = node;
        lastChild[parent] = node;
        path.push(node);
      }
      wordAt[path[word.length]!] = id;
      depth = Math.max(depth, word.length);
      previous = word;
    }
    return new Trie(letter, firstChild, nextSibling, wordAt, depth);
  }

  /**
   * Depth-first walk computing one row of the edit-distance table per node (the rows of the
   * node's ancestors are kept for the swap case); a subtree is skipped once every cell of its
   * row exceeds `maxEdits`, since extending a word never lowers the distance. A row is computed
   * only within `maxEdits` of its diagonal: the cells beyond are further than that anyway, and
   * stand as `maxEdits + 1` where a neighbour reads them.
   */
  withinEdits(query: string, maxEdits: number): WordHit[] {
    const width = query.length + 1;
    const far = maxEdits + 1;
    const rows = new Int32Array((this.depth + 1) * width);
    const letters = new Uint16Array(this.depth + 1);
    const codes = Uint16Array.from(query, (_, j) => query.charCodeAt(j));
    for (let j = 0; j < width; j++) rows[j] = Math.min(j, far);
    const hits: WordHit[] = [];
    if (this.wordAt[0]! >= 0 && query.length <= maxEdits) hits.push({ id: this.wordAt[0]!, edits: query.length });
    const stack: number[] = [];
    const depths: number[] = [];
    for (let child = this.firstChild[0]!; child !== -1; child = this.nextSibling[child]!) {
      stack.push(child);
      depths.push(1);
    }
    while (stack.length > 0) {
      const node = stack.pop()!;
      const d = depths.pop()!;
      const letter = this.letter[node]!;
      letters[d] = letter;
      const row = d * width;
      const above = row - width;
      const twoAbove = above - width;
      const low = Math.max(1, d - maxEdits);
      const high = Math.min(query.length, d + maxEdits);
      rows[row] = Math.min(d, far);
      if (low > 1) rows[row + low - 1] = far;
      if (high < query.length) rows[row + high + 1] = far;
      let smallest = d <= maxEdits ? d : far;
      for (let j = low; j <= high; j++) {
        const cost = codes[j - 1] === letter ? 0 : 1;
        let value = Math.min(rows[above + j]! + 1, rows[row + j - 1]! + 1, rows[above + j - 1]! + cost);
        if (d > 1 && j > 1 && letter === codes[j - 2] && letters[d - 1] === codes[j - 1]) {
          value = Math.min(value, rows[twoAbove + j - 2]! + 1);
        }
        rows[row + j] = value;
        if (value < smallest) smallest = value;
      }
      if (smallest > maxEdits) continue;
      if (this.wordAt[node]! >= 0 && high === query.length && rows[row + high]! <= maxEdits) {
        hits.push({ id: this.wordAt[node]!, edits: rows[row + high]! });
      }
      for (let child = this.firstChild[node]!; child !== -1; child = this.nextSibling[child]!) {
        stack.push(child);
        depths.push(d + 1);
      }
    }
    return hits;
  }
}
