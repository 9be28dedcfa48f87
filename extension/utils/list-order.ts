/** A copy of `items` with the item at `from` moved so that it ends up at index `to`. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = items.slice();
  if (from < 0 || from >= next.length || to < 0 || to >= next.length || from === to) return next;
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * The `before` id the API needs to put the item at `from` at index `to`: the id of the item
 * that follows it afterwards, or null when it becomes the last.
 */
export function beforeIdAfterMove<T extends { id: string }>(items: readonly T[], from: number, to: number): string | null {
  return moveItem(items, from, to)[to + 1]?.id ?? null;
}
