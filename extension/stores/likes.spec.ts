import { describe, expect, it, vi } from 'vitest';
import type { LikedTrack, Track } from '@@/shared/api';
import { jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest } from '@@/test/extension/popup-fakes';
import { clearPopupCache, likedIdsCacheItem } from '@/utils/popup-cache';
import { useLikesStore } from './likes';
import { useNoticeStore } from './notice';

const liked = (track: Track | null, trackId = track!.id): LikedTrack => ({ trackId, track, likedAt: '2025-01-01T00:00:00.000Z' });
const noContent = () => new Response(null, { status: 204 });

describe('likes store', () => {
  signedInEachTest({ pinia: true });

  it('paints the cached ids, then takes the server’s, keeping a change still on its way', async () => {
    const [a, b, c] = makeTracks(3);
    await likedIdsCacheItem.setValue({ value: [a!.id], fetchedAt: 1 });
    let answerPut: (response: Response) => void = () => {};
    fakeApi({
      'GET /me/likes/ids': { trackIds: [b!.id, a!.id] },
      [`PUT /me/likes/${c!.id}`]: () => new Promise<Response>((resolve) => (answerPut = resolve)),
    });
    const likes = useLikesStore();
    await likes.restoreCached();
    expect([...likes.ids]).toEqual([a!.id]);

    const liking = likes.toggle(c!);
    await likes.load();
    expect([...likes.ids].sort()).toEqual([a!.id, b!.id, c!.id].sort());
    answerPut(noContent());
    await liking;
    expect((await likedIdsCacheItem.getValue())?.value.sort()).toEqual([a!.id, b!.id, c!.id].sort());
  });

  it('sends a like and an unlike of one track in the order they were made', async () => {
    const [track] = makeTracks(1);
    const seen = fakeApi({ [`PUT /me/likes/${track!.id}`]: noContent, [`DELETE /me/likes/${track!.id}`]: noContent });
    const likes = useLikesStore();
    await Promise.all([likes.toggle(track!), likes.toggle(track!), likes.toggle(track!)]);
    expect(seen.map((r) => r.method)).toEqual(['PUT', 'DELETE', 'PUT']);
    expect(likes.isLiked(track!.id)).toBe(true);
  });

  it('lists liked tracks page by page, leaves out those gone from the catalog, and follows the hearts', async () => {
    const tracks = makeTracks(3);
    const seen = fakeApi({
      'GET /me/likes': ({ path }: { path: string }) =>
        new Response(
          JSON.stringify(
            path.includes('cursor=')
              ? { items: [liked(tracks[2]!)] }
              : { items: [liked(tracks[0]!), liked(null, 'trk_gone'), liked(tracks[1]!)], cursor: 'c1' },
          ),
          { headers: { 'content-type': 'application/json' } },
        ),
      [`DELETE /me/likes/${tracks[1]!.id}`]: noContent,
    });
    const likes = useLikesStore();
    await likes.list();
    expect(seen.map((r) => r.path)).toEqual(['/me/likes?limit=200', '/me/likes?limit=200&cursor=c1']);
    expect(likes.tracks.map((t) => t.id)).toEqual(tracks.map((t) => t.id));

    await likes.toggle(tracks[1]!);
    expect(likes.tracks.map((t) => t.id)).toEqual([tracks[0]!.id, tracks[2]!.id]);
  });

  it('puts an unliked track back in its place when the server refuses', async () => {
    const tracks = makeTracks(3);
    fakeApi({ 'GET /me/likes': { items: tracks.map((t) => liked(t)) } });
    const likes = useLikesStore();
    await likes.list();
    likes.hydrate({ value: tracks.map((t) => t.id), fetchedAt: 1 });
    await likes.toggle(tracks[1]!);
    expect(likes.tracks.map((t) => t.id)).toEqual(tracks.map((t) => t.id));
    expect(likes.isLiked(tracks[1]!.id)).toBe(true);
  });

  it('forgets everything on sign-out, the cached copy included', async () => {
    const [track] = makeTracks(1);
    fakeApi({ 'GET /me/likes/ids': { trackIds: [track!.id] } });
    const likes = useLikesStore();
    await likes.load();
    expect(await likedIdsCacheItem.getValue()).not.toBeNull();

    likes.clear();
    await clearPopupCache();
    expect(likes.ids.size).toBe(0);
    expect(await likedIdsCacheItem.getValue()).toBeNull();
  });

  it('drops answers for the signed-out listener: no hearts, no cached copy for the next one', async () => {
    const [a, b] = makeTracks(2);
    const answers: Array<(response: Response) => void> = [];
    const later = () => new Promise<Response>((resolve) => answers.push(resolve));
    fakeApi({ 'GET /me/likes/ids': later, [`PUT /me/likes/${a!.id}`]: later, [`PUT /me/likes/${b!.id}`]: later });
    const likes = useLikesStore();
    const loading = likes.load();
    const liking = likes.toggle(a!);
    const refused = likes.toggle(b!);
    await vi.waitFor(() => expect(answers).toHaveLength(3));

    likes.clear();
    await clearPopupCache();
    answers[0]!(jsonResponse(200, { trackIds: [a!.id, b!.id] }));
    answers[1]!(noContent());
    answers[2]!(jsonResponse(500, { error: { code: 'internal', message: 'Down' } }));
    await Promise.all([loading, liking, refused]);

    expect([...likes.ids]).toEqual([]);
    expect(likes.loaded).toBe(false);
    expect(await likedIdsCacheItem.getValue()).toBeNull();
    expect(useNoticeStore().text).toBe('');
  });
});
