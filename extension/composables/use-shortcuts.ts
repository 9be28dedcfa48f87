import { nextTick, onBeforeUnmount, onMounted } from 'vue';
import { usePlayerViewStore } from '@/stores/player-view';
import { useViewStore, type Tab } from '@/stores/view';
import { loadView } from '@/components/lazy-views';

const TABS: Tab[] = ['home', 'search', 'playlists', 'queue'];

/** True when a key press belongs to what has focus: typing in a field, or Space on a button or slider. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target instanceof HTMLInputElement) return !['range', 'checkbox', 'radio', 'button'].includes(target.type) || key === ' ';
  return key === ' ' && target.tagName === 'BUTTON';
}

/** The popup-wide shortcuts listed in `shortcuts.ts`, bound on `window` while mounted. */
export function useShortcuts() {
  const view = useViewStore();
  const player = usePlayerViewStore();

  async function focusSearch(): Promise<void> {
    if (view.tab !== 'search' || view.stack.length) view.show('search');
    const input = () => document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
    await nextTick();
    if (!input()) {
      // The search view is loaded on demand: wait for its chunk, then for it to render.
      await loadView('SearchView');
      for (let tries = 0; tries < 3 && !input(); tries++) await nextTick();
    }
    input()?.focus();
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape') {
      if (view.back()) event.preventDefault();
      return;
    }
    if (ownsKey(event.target, event.key)) return;
    const run: Record<string, () => unknown> = {
      '/': focusSearch,
      ' ': () => player.track && player.toggle(),
      n: () => player.next(),
      p: () => player.previous(),
      s: () => player.toggleShuffle(),
      r: () => player.cycleRepeat(),
      '?': () => view.toggleHelp(),
    };
    const tab = TABS[Number(event.key) - 1];
    const action = run[event.key.length === 1 ? event.key.toLowerCase() : event.key] ?? (tab && (() => view.show(tab)));
    if (!action) return;
    event.preventDefault();
    void action();
  }

  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
  return { focusSearch };
}
