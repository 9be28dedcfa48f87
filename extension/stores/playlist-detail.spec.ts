import { describe, expect, it, vi } from 'vitest';
import { errorBody, jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, signedInEachTest, type SeenRequest } from '@@/test/extension/popup-fakes';
import { MAX_ATTEMPTS } from '@/api/write-retry';
import { usePlaylistDetailStore } from './playlist-detail';

describe('playlist detail store', () => {
  const entries = makeEntries(makeTracks(4));
  const ids = (store: ReturnType<typeof usePlaylistDetailStore>) => store.entries.map((e) => e.id);

  signedInEachTest({ pinia: true });

  it('loads every page in order', async () => {
    fakeApi({
      'GET /playlists/pl_1/entries': ({ path }: SeenRequest) =>
        jsonResponse(200, path.includes('cursor=2') ? { items: entries.slice(2) } : { items: entries.slice(0, 2), cursor: '2' }),
    });
    const store = usePlaylistDetailStore();
    await store.open('pl_1');
    expect(ids(store)).toEqual(entries.map((e) => e.id));
    expect(store.loading).toBe(false);
  });

  it('moves an entry optimistically and sends the entry it now precedes', async () => {
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      [`PATCH /playlists/pl_1/entries/${entries[0]!.id}`]: { ...entries[0] },
    });
    const store = usePlaylistDetailStore();
    await store.open('pl_1');
    await store.move(0, 2);

    expect(ids(store)).toEqual([entries[1], entries[2], entries[0], entries[3]].map((e) => e!.id));
    expect(seen.at(-1)).toMatchObject({ method: 'PATCH', body: { before: entries[3]!.id } });
    expect(store.announcement).toMatch(/position 3 of 4/);

    await store.move(2, 3);
    expect(seen.at(-1)!.body).toEqual({ before: null });
  });

  it('reloads the server order after a refused move or a removal that kept failing, and says why', async () => {
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      [`PATCH /playlists/pl_1/entries/${entries[0]!.id}`]: () => jsonResponse(404, errorBody('not_found', 'That entry is gone.')),
      [`DELETE /playlists/pl_1/entries/${entries[1]!.id}`]: () => jsonResponse(503, errorBody('unavailable', 'Try later.')),
    });
    const store = usePlaylistDetailStore();
    await store.open('pl_1');

    await store.move(0, 1);
    expect(ids(store)).toEqual(entries.map((e) => e.id));
    expect(store.error).toBe('That entry is gone.');

    vi.useFakeTimers();
    const removing = store.removeAt(1);
    await vi.runAllTimersAsync();
    await removing;
    expect(seen.filter((r) => r.method === 'DELETE')).toHaveLength(MAX_ATTEMPTS);
    expect(ids(store)).toEqual(entries.map((e) => e.id));
    expect(store.error).toBe('Try later.');
  });

  it('removes an entry', async () => {
    const seen = fakeApi({
      'GET /playlists/pl_1/entries': { items: entries },
      [`DELETE /playlists/pl_1/entries/${entries[1]!.id}`]: () => new Response(null, { status: 204 }),
    });
    const store = usePlaylistDetailStore();
    await store.open('pl_1');
    await store.removeAt(1);
    expect(ids(store)).not.toContain(entries[1]!.id);
    expect(seen.at(-1)!.method).toBe('DELETE');
  });
});
