import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { afterNextPaint } from '@/utils/popup-startup';

/** What part of a fixed-row-height list to render. */
export interface VirtualWindow {
  /** First index to render. */
  start: number;
  /** One past the last index to render. */
  end: number;
  /** Pixels above `start` (padding that stands in for the rows not rendered). */
  offset: number;
  /** Height of the whole list in pixels. */
  total: number;
}

/**
 * The rows to render for a scroll position: the visible ones plus `overscan` either side.
 * Pure, so it is tested without a DOM.
 */
export function virtualWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 6): VirtualWindow {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const visible = Math.ceil(viewport / rowHeight) + overscan * 2;
  const start = Math.min(first, Math.max(0, count - 1));
  const end = Math.min(count, start + visible);
  return { start, end, offset: start * rowHeight, total: count * rowHeight };
}

/** The `scrollTop` that brings row `index` into view, or the current one if it already is. */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/**
 * Renders only the rows in view of a scroll container with fixed-height rows. A 10,000-entry
 * playlist stays at a few dozen DOM rows. Why not a library: the popup's lists all have one
 * row height, and this is ~40 lines against a dependency that would count against the
 * popup's JS budget.
 */
export function useVirtualList(count: Ref<number>, rowHeight: number, fallbackViewport = 400) {
  const container = ref<HTMLElement | null>(null);
  const scrollTop = ref(0);
  const viewport = ref(fallbackViewport);
  // The first frame has only the rows in view (each row is several components to set up before
  // it); the overscan either side follows once that frame is on screen.
  const overscan = ref(0);
  let observer: ResizeObserver | undefined;

  const range = computed(() => virtualWindow(count.value, rowHeight, scrollTop.value, viewport.value, overscan.value));

  function onScroll(): void {
    scrollTop.value = container.value?.scrollTop ?? 0;
  }

  /** Scrolls the container just enough to show row `index`. */
  function ensureVisible(index: number): void {
    const el = container.value;
    if (!el) return;
    const top = scrollTopToShow(index, rowHeight, el.scrollTop, viewport.value);
    if (top !== el.scrollTop) el.scrollTop = top;
    scrollTop.value = top;
  }

  onMounted(() => {
    afterNextPaint(() => (overscan.value = 6));
    const el = container.value;
    if (!el) return;
    if (el.clientHeight > 0) viewport.value = el.clientHeight;
    if (typeof ResizeObserver === 'undefined') return;
    observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) viewport.value = el.clientHeight;
    });
    observer.observe(el);
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { container, range, onScroll, ensureVisible };
}
