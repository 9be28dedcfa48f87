import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { jsonResponse, makeTracks } from '@/test/extension/factories';
import { fakeApi, signIn, type SeenRequest } from '@/test/extension/popup-fakes';
import { SEARCH_DEBOUNCE_MS, useSearchStore } from './search';

describe('search store', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
    await signIn();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('waits for typing to pause, then asks once', async () => {
    const seen = fakeApi({ 'GET /search': { tracks: makeTracks(2), albums: [], artists: [] } });
    const search = useSearchStore();
    search.setQuery('b');
    search.setQuery('be');
    search.setQuery('bea');
    expect(search.status).toBe('loading');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await vi.waitFor(() => expect(search.status).toBe('done'));

    expect(seen.map((r) => r.path)).toEqual(['/search?q=bea&field=all&limit=20']);
    expect(search.results?.tracks).toHaveLength(2);
    expect(search.resultsFor).toBe('bea');
  });

  it('drops a slow answer to an older query', async () => {
    const slow = makeTracks(1, { title: 'old' });
    const fresh = makeTracks(1, { title: 'new' });
    let releaseSlow!: () => void;
    fakeApi({
      'GET /search': ({ path }: SeenRequest) =>
        path.includes('q=old')
          ? new Promise<Response>((resolve) => (releaseSlow = () => resolve(jsonResponse(200, { tracks: slow }))))
          : jsonResponse(200, { tracks: fresh }),
    });
    const search = useSearchStore();
    search.setQuery('old');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    search.setQuery('new');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await vi.waitFor(() => expect(search.status).toBe('done'));
    releaseSlow();
    await Promise.resolve();

    expect(search.results?.tracks[0]?.title).toBe('new');
  });

  it('says search is unavailable when the server has no /search', async () => {
    fakeApi({});
    const search = useSearchStore();
    search.setQuery('x');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await vi.waitFor(() => expect(search.status).toBe('unavailable'));
    expect(search.error).toMatch(/isn't available/);
  });

  it('clears results for an empty query without a request', () => {
    const seen = fakeApi({});
    const search = useSearchStore();
    search.setQuery('   ');
    expect(search.status).toBe('idle');
    expect(seen).toHaveLength(0);
  });
});
