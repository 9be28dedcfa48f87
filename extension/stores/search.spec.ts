import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest, type SeenRequest } from '@@/test/extension/popup-fakes';
import { SEARCH_DEBOUNCE_MS, useSearchStore } from './search';

describe('search store', () => {
  signedInEachTest({ pinia: true });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
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

  it('keeps the suggestion and top hit of an answer, and searches a picked suggestion without waiting', async () => {
    const top = { kind: 'track', id: 'trk_small' };
    const seen = fakeApi({
      'GET /search': ({ path }: SeenRequest) =>
        jsonResponse(200, path.includes('q=smlal') ? { tracks: makeTracks(1), didYouMean: 'Small Hours', top } : { tracks: makeTracks(2) }),
    });
    const search = useSearchStore();
    search.setQuery('smlal hours');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await vi.waitFor(() => expect(search.status).toBe('done'));
    expect(search.results).toMatchObject({ didYouMean: 'Small Hours', top });

    const picked = search.searchFor('Small Hours');
    expect(search.query).toBe('Small Hours');
    await picked;

    expect(seen.map((r) => r.path)).toEqual(['/search?q=smlal+hours&field=all&limit=20', '/search?q=Small+Hours&field=all&limit=20']);
    expect(search.resultsFor).toBe('Small Hours');
    expect(search.results?.tracks).toHaveLength(2);
    expect(search.results).not.toHaveProperty('didYouMean');
    expect(search.results).not.toHaveProperty('top');
  });

  it('clears results for an empty query without a request', () => {
    const seen = fakeApi({});
    const search = useSearchStore();
    search.setQuery('   ');
    expect(search.status).toBe('idle');
    expect(seen).toHaveLength(0);
  });
});
