/*
 * The listening API (`/me/…`) over real HTTP: auth server → gateway (JWT authorizer) → handlers →
 * DynamoDB, the way the extension reaches it; run against the handlers built from source
 * (integration) and against the synthesized Lambda bundles (deploy rehearsal).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryItem, LikedTrack, ListeningSettings, PlaysAccepted } from '../../shared/api';
import { ApiClient, catalogTrackIds, signUp, type Page } from './api-client';
import type { GatewayTarget } from './gateway-catalog-contract';

/** Registers the listening contract; `target` is read in `beforeAll`. */
export function describeListeningContract(target: () => GatewayTarget) {
  describe('listening through the gateway', () => {
    let alice: ApiClient;
    let bob: ApiClient;
    let trackIds: string[];

    beforeAll(async () => {
      const [a, b] = await Promise.all([signUp(target().auth, 'listener-a'), signUp(target().auth, 'listener-b')]);
      alice = new ApiClient(target().api, a.accessToken);
      bob = alice.as(b.accessToken);
      trackIds = await catalogTrackIds(alice);
    });

    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const play = (trackId: string, minutes: number) => ({ id: crypto.randomUUID(), trackId, startedAt: ago(minutes), msPlayed: 200_000 });

    it('records plays once, lists them newest first with their covers, and clears them', async () => {
      const clockGoneWrong = play(trackIds[3]!, 2 * 365 * 24 * 60);
      const plays = [play(trackIds[0]!, 9), play(trackIds[1]!, 6), play('tr_left_the_catalog', 5), clockGoneWrong, play(trackIds[2]!, 3)];
      const first = await alice.post<PlaysAccepted>('/me/plays', { plays });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        recorded: 3,
        known: 0,
        unknownTrackIds: ['tr_left_the_catalog'],
        refusedPlayIds: [clockGoneWrong.id],
        paused: false,
      });
      const again = await alice.post<PlaysAccepted>('/me/plays', { plays });
      expect(again.body).toMatchObject({ recorded: 0, known: 3 });

      const page = await alice.get<Page<HistoryItem>>('/me/history?limit=2');
      expect(page.status).toBe(200);
      expect(page.body.items.map((h) => h.trackId)).toEqual([trackIds[2], trackIds[1]]);
      const rest = await alice.get<Page<HistoryItem>>(`/me/history?limit=2&cursor=${page.body.cursor}`);
      expect(rest.body.items.map((h) => h.trackId)).toEqual([trackIds[0]]);
      // History carries its tracks' presigned covers, which the signer must be allowed to read.
      const coverUrl = [...page.body.items, ...rest.body.items].find((h) => h.track?.coverUrl)?.track?.coverUrl;
      expect(coverUrl).toBeDefined();
      expect((await fetch(coverUrl!)).status).toBe(200);
      expect((await bob.get<Page<HistoryItem>>('/me/history')).body.items).toEqual([]);

      const tooMany = await alice.post('/me/plays', { plays: Array.from({ length: 51 }, () => play(trackIds[0]!, 1)) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toMatchObject({ error: { code: 'invalid_input', field: 'plays' } });

      expect((await alice.delete('/me/history')).status).toBe(204);
      expect((await alice.get<Page<HistoryItem>>('/me/history')).body.items).toEqual([]);
    });

    it('likes and unlikes tracks, idempotently, and lists them newest first', async () => {
      const [x, y] = trackIds.slice(4, 6) as [string, string];
      expect((await alice.request('PUT', `/me/likes/${x}`)).status).toBe(204);
      expect((await alice.request('PUT', `/me/likes/${y}`)).status).toBe(204);
      expect((await alice.request('PUT', `/me/likes/${x}`)).status).toBe(204);
      const missing = await alice.request('PUT', '/me/likes/tr_not_in_catalog');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: { code: 'not_found' } });

      expect((await alice.get<{ trackIds: string[] }>('/me/likes/ids')).body).toEqual({ trackIds: [y, x] });
      const liked = await alice.get<Page<LikedTrack>>('/me/likes');
      expect(liked.body.items.map((l) => [l.trackId, l.track?.id])).toEqual([
        [y, y],
        [x, x],
      ]);
      expect((await bob.get<{ trackIds: string[] }>('/me/likes/ids')).body).toEqual({ trackIds: [] });

      expect((await alice.delete(`/me/likes/${y}`)).status).toBe(204);
      expect((await alice.get<{ trackIds: string[] }>('/me/likes/ids')).body).toEqual({ trackIds: [x] });
    });

    it('pauses the history for this listener only', async () => {
      expect((await alice.get<ListeningSettings>('/me/settings')).body).toEqual({ historyPaused: false });
      const paused = await alice.patch<ListeningSettings>('/me/settings', { historyPaused: true });
      expect(paused).toMatchObject({ status: 200, body: { historyPaused: true } });
      const sent = await alice.post<PlaysAccepted>('/me/plays', { plays: [play(trackIds[3]!, 1)] });
      expect(sent.body).toMatchObject({ recorded: 0, paused: true });
      expect((await alice.get<Page<HistoryItem>>('/me/history')).body.items).toEqual([]);
      expect((await bob.get<ListeningSettings>('/me/settings')).body).toEqual({ historyPaused: false });
      expect((await alice.patch<ListeningSettings>('/me/settings', { historyPaused: false })).body).toEqual({ historyPaused: false });
    });

    it('refuses requests without a valid token', async () => {
      for (const [method, path] of [
        ['GET', '/me/history'],
        ['POST', '/me/plays'],
        ['PUT', `/me/likes/${trackIds[0]}`],
        ['GET', '/me/settings'],
      ] as const) {
        const response = await alice.as('not-a-jwt').request(method, path, method === 'POST' ? { plays: [] } : undefined);
        expect(response.status, `${method} ${path}`).toBe(401);
      }
    });
  });
}
