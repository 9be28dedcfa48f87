/** A binary min-heap of the numbers in `items` under `before`, built in linear time in place. */
export class MinHeap {
  size: number;

  constructor(
    private readonly items: Uint32Array,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    const size = items.length;
    this.size = size;
    for (let i = (size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  pop(): number {
    const top = this.items[0]!;
    this.items[0] = this.items[--this.size]!;
    this.down(0);
    return top;
  }

  private down(from: number): void {
    const { items, before } = this;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, items[at]!)) return;
      [items[at], items[child]] = [items[child]!, items[at]!];
      at = child;
    }
  }
}
