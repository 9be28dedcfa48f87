import { describe, expect, it, vi } from 'vitest';
import { fakeApi, makeFeed, signedInEachTest } from '@@/test/extension/popup-fakes';
import { homeCacheItem } from '@/utils/popup-cache';
import { useHomeStore } from './home';

describe('home store', () => {
  signedInEachTest({ pinia: true });

  it('paints the cached feed without a request, then refreshes and caches', async () => {
    const cached = makeFeed(2);
    const fresh = makeFeed(3);
    await homeCacheItem.setValue({ value: cached, fetchedAt: 1 });
    const seen = fakeApi({ 'GET /home': fresh });
    const home = useHomeStore();

    await home.restoreCached();
    expect(home.feed?.tracks).toHaveLength(2);
    expect(seen).toHaveLength(0);

    await home.refresh();
    expect(home.feed?.tracks.map((t) => t.id)).toEqual(fresh.tracks.map((t) => t.id));
    expect((await homeCacheItem.getValue())?.value.tracks).toHaveLength(3);
  });

  it('keeps the cached feed and explains when the backend is down', async () => {
    await homeCacheItem.setValue({ value: makeFeed(2), fetchedAt: 1 });
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const home = useHomeStore();
    await home.restoreCached();
    await home.refresh();
    expect(home.feed?.tracks).toHaveLength(2);
    expect(home.error).toMatch(/Can't reach Alktunes/);
  });

  it('accepts a feed that has not been shuffled yet', async () => {
    fakeApi({ 'GET /home': { generatedAt: null, tracks: [] } });
    const home = useHomeStore();
    await home.refresh();
    expect(home.feed).toEqual({ generatedAt: null, tracks: [], sections: [] });
  });
});
