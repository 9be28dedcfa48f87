import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { ApiError } from '@/api/api-client';
import { describeError, isAborted } from '@/utils/describe-error';
import type { SearchField, SearchResults } from '@@/shared/api';
import { createSearchService } from '@/api/search-service';

/** How long typing must pause before a query goes out. */
export const SEARCH_DEBOUNCE_MS = 200;

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error' | 'unavailable';

/**
 * Results as you type: debounced, and a newer query aborts the older request and drops any
 * answer that still arrives for it, so results never flash back to a stale query.
 */
export const useSearchStore = defineStore('search', () => {
  /** The text in the search box. */
  const query = ref('');
  /** Which field to match; `all` by default. */
  const field = ref<SearchField>('all');
  /** Results for `resultsFor` (with the server's "did you mean" and top hit); null before the first answer. */
  const results = shallowRef<SearchResults | null>(null);
  /** The query `results` answer (may lag `query` while typing). */
  const resultsFor = ref('');
  /** `unavailable` when the backend has no search (404) — the view says so instead of failing. */
  const status = ref<SearchStatus>('idle');
  /** Words for the last failure. */
  const error = ref<string | null>(null);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let sequence = 0;

  /** Updates the query and schedules a search; an empty query clears the results. */
  function setQuery(text: string): void {
    query.value = text;
    clearTimeout(timer);
    controller?.abort();
    sequence++;
    if (!text.trim()) {
      results.value = null;
      resultsFor.value = '';
      status.value = 'idle';
      error.value = null;
      return;
    }
    status.value = 'loading';
    timer = setTimeout(() => void run(), SEARCH_DEBOUNCE_MS);
  }

  function setField(next: SearchField): void {
    field.value = next;
    setQuery(query.value);
  }

  /** Runs the current query now (also the retry after a failure). */
  async function run(): Promise<void> {
    clearTimeout(timer);
    controller?.abort();
    const text = query.value.trim();
    if (!text) return;
    const mine = ++sequence;
    controller = new AbortController();
    status.value = 'loading';
    error.value = null;
    try {
      const found = await createSearchService().search(text, { field: field.value, signal: controller.signal });
      if (mine !== sequence) return;
      results.value = found;
      resultsFor.value = text;
      status.value = 'done';
    } catch (cause) {
      if (mine !== sequence || isAborted(cause)) return;
      if (cause instanceof ApiError && cause.status === 404) {
        status.value = 'unavailable';
        error.value = "Search isn't available on this server yet.";
      } else {
        status.value = 'error';
        error.value = describeError(cause, "Couldn't search right now.");
      }
    }
  }

  /** Puts `text` in the box and searches it at once (a picked suggestion needs no typing pause). */
  function searchFor(text: string): Promise<void> {
    query.value = text;
    return run();
  }

  function clear(): void {
    setQuery('');
  }

  return { query, field, results, resultsFor, status, error, setQuery, setField, run, searchFor, clear };
});
