import { defineStore } from 'pinia';
import { ref } from 'vue';
import { viewCacheItem, type ViewState } from '@/utils/popup-cache';

export type Tab = ViewState['tab'];
export type Detail = NonNullable<ViewState['detail']>;

/** Which view the popup shows; remembered so a reopened popup comes back to the same place. */
export const useViewStore = defineStore('view', () => {
  /** The tab picked in the nav bar. */
  const tab = ref<Tab>('home');
  /** Album, artist or playlist views opened over the tab, innermost last. */
  const stack = ref<Detail[]>([]);
  /** True while the keyboard-shortcut help is open. */
  const helpOpen = ref(false);

  function persist(): void {
    void viewCacheItem.setValue({ tab: tab.value, detail: stack.value.at(-1) ?? null });
  }

  /** Comes back to an already-read saved view (the popup reads all its state at once on open). */
  function hydrate(saved: ViewState | null): void {
    if (!saved) return;
    tab.value = saved.tab;
    stack.value = saved.detail ? [saved.detail] : [];
  }

  /** Comes back to the tab and detail view the popup last showed. */
  async function restore(): Promise<void> {
    hydrate(await viewCacheItem.getValue());
  }

  function show(next: Tab): void {
    tab.value = next;
    stack.value = [];
    helpOpen.value = false;
    persist();
  }

  function open(detail: Detail): void {
    stack.value = [...stack.value, detail];
    helpOpen.value = false;
    persist();
  }

  /** Closes help, else the innermost detail view; false when there was nothing to close. */
  function back(): boolean {
    if (helpOpen.value) {
      helpOpen.value = false;
      return true;
    }
    if (!stack.value.length) return false;
    stack.value = stack.value.slice(0, -1);
    persist();
    return true;
  }

  function toggleHelp(): void {
    helpOpen.value = !helpOpen.value;
  }

  function reset(): void {
    tab.value = 'home';
    stack.value = [];
    helpOpen.value = false;
  }

  return { tab, stack, helpOpen, hydrate, restore, show, open, back, toggleHelp, reset };
});
