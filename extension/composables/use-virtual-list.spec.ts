import { describe, expect, it } from 'vitest';
import { moveItem, beforeIdAfterMove } from '@/utils/list-order';
import { scrollTopToShow, virtualWindow } from './use-virtual-list';

describe('virtualWindow', () => {
  it('renders only the rows in view plus overscan, even for 10,000 rows', () => {
    const w = virtualWindow(10_000, 50, 250_000, 400, 5);
    expect(w.start).toBe(4995);
    expect(w.end - w.start).toBe(18);
    expect(w.offset).toBe(4995 * 50);
    expect(w.total).toBe(500_000);
  });

  it('clamps at both ends and copes with an empty list', () => {
    expect(virtualWindow(3, 50, 0, 400)).toEqual({ start: 0, end: 3, offset: 0, total: 150 });
    expect(virtualWindow(0, 50, 100, 400)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
});

describe('scrollTopToShow', () => {
  it('scrolls just enough to reveal a row above or below the viewport', () => {
    expect(scrollTopToShow(2, 50, 200, 400)).toBe(100);
    expect(scrollTopToShow(20, 50, 200, 400)).toBe(650);
    expect(scrollTopToShow(6, 50, 200, 400)).toBe(200);
  });
});

describe('list order', () => {
  const items = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

  it('moves an item to its new index', () => {
    expect(moveItem(items, 0, 2).map((i) => i.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(items, 3, 0).map((i) => i.id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('names the entry the moved one lands before, or null at the end', () => {
    expect(beforeIdAfterMove(items, 0, 2)).toBe('d');
    expect(beforeIdAfterMove(items, 0, 3)).toBeNull();
    expect(beforeIdAfterMove(items, 3, 0)).toBe('a');
    expect(beforeIdAfterMove(items, 2, 1)).toBe('b');
  });
});
