import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeTracks } from '@@/test/extension/factories';
import { fakeApi, makeEntries, makePlaylist, signIn, type SeenRequest } from '@@/test/extension/popup-fakes';
import { createApiClient } from './api-client';
import { createPlaylistsService } from './playlists-service';
import { MAX_ATTEMPTS } from './write-retry';

const dropped = () => new TypeError('Failed to fetch');
const keyOf = (request: SeenRequest) => request.headers['idempotency-key'];

/**
 * The add route of a server that keeps its promise on `Idempotency-Key` (API.md): a repeat
 * with a known key adds nothing and answers the first answer. `fail(n)` decides what the `n`th
 * request sees after the server did its work: nothing (undefined), a lost answer (throw), or
 * another answer.
 */
function keyedAddRoute(fail: (n: number) => Response | undefined = () => undefined) {
  const stored: string[] = [];
  const answers = new Map<string, unknown>();
  let requests = 0;
  const route = ({ headers, body }: SeenRequest) => {
    const key = headers['idempotency-key']!;
    if (!answers.has(key)) {
      const { trackIds } = body as { trackIds: string[] };
      stored.push(...trackIds);
      answers.set(key, { items: makeEntries(makeTracks(trackIds.length)) });
    }
    return fail(++requests) ?? jsonResponse(201, answers.get(key));
  };
  return { route, stored };
}

describe('playlists service writes', () => {
  const service = () => createPlaylistsService(createApiClient({ authUrl: 'https://auth.test', apiUrl: 'https://api.test' }));

  beforeEach(async () => {
    fakeBrowser.reset();
    await signIn();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** Runs `write` to its end, backoff waits included. */
  async function settle<T>(write: Promise<T>): Promise<T> {
    const caught = write.catch((error: unknown) => ({ error }));
    await vi.runAllTimersAsync();
    const result = await caught;
    if (result && typeof result === 'object' && 'error' in result) throw result.error;
    return result as T;
  }

  it('sends a new Idempotency-Key with each create and each add', async () => {
    const created = makePlaylist();
    const seen = fakeApi({
      'POST /playlists': () => jsonResponse(201, created),
      [`POST /playlists/${created.id}/entries`]: keyedAddRoute().route,
    });

    await service().create('One');
    await service().create('One');
    await service().addTracks(created.id, ['trk_1']);
    await service().addTracks(created.id, ['trk_1']);

    const keys = seen.map(keyOf);
    expect(keys.every((key) => key && /^[\x21-\x7e]{1,255}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(4);
  });

  it('sends a create whose answer was lost again with the same key', async () => {
    const created = makePlaylist();
    let creates = 0;
    const seen = fakeApi({
      'POST /playlists': () => {
        if (++creates === 1) throw dropped();
        return jsonResponse(201, created);
      },
    });

    await expect(settle(service().create('Road trip'))).resolves.toEqual(created);
    expect(seen).toHaveLength(2);
    expect(keyOf(seen[1]!)).toBe(keyOf(seen[0]!));
    expect(seen[1]!.body).toEqual(seen[0]!.body);
  });

  it('adds the tracks once when the server added them but the answer was lost', async () => {
    const server = keyedAddRoute((n) => {
      if (n === 1) throw dropped();
      return undefined;
    });
    const seen = fakeApi({ 'POST /playlists/pl_1/entries': server.route });

    const added = await settle(service().addTracks('pl_1', ['trk_1', 'trk_2']));

    expect(added).toHaveLength(2);
    expect(server.stored).toEqual(['trk_1', 'trk_2']);
    expect(seen.map(keyOf)).toEqual([keyOf(seen[0]!), keyOf(seen[0]!)]);
  });

  it.each([
    [502, 'http_502', {}],
    [503, 'unavailable', {}],
    [504, 'http_504', {}],
    [409, 'conflict', { retryable: true }],
  ])('sends an add that got %i (%s) again with the same key', async (status, code, details) => {
    const server = keyedAddRoute((n) =>
      n === 1 ? jsonResponse(status, { error: { code, message: 'Try again', ...details } }) : undefined,
    );
    const seen = fakeApi({ 'POST /playlists/pl_1/entries': server.route });

    await expect(settle(service().addTracks('pl_1', ['trk_1']))).resolves.toHaveLength(1);
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map(keyOf)).size).toBe(1);
  });

  it.each([
    [400, 'invalid_input'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'idempotency_key_reused'],
    [429, 'rate_limited'],
    [500, 'internal'],
  ])('does not send an add that got %i (%s) again', async (status, code) => {
    const seen = fakeApi({ 'POST /playlists/pl_1/entries': () => jsonResponse(status, errorBody(code, 'No')) });
    await expect(settle(service().addTracks('pl_1', ['trk_1']))).rejects.toMatchObject({ status, code });
    expect(seen).toHaveLength(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} tries of an unreachable server`, async () => {
    const seen = fakeApi({
      'POST /playlists': () => {
        throw dropped();
      },
    });
    await expect(settle(service().create('Road trip'))).rejects.toMatchObject({ status: 0, code: 'network_error' });
    expect(seen).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(seen.map(keyOf)).size).toBe(1);
  });

  it('keeps the key through a token refresh', async () => {
    let adds = 0;
    const server = keyedAddRoute();
    const seen = fakeApi({
      'POST /playlists/pl_1/entries': (request: SeenRequest) =>
        ++adds === 1 ? jsonResponse(401, errorBody('unauthorized', 'Token expired')) : server.route(request),
      'POST /auth/refresh': () => jsonResponse(200, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 }),
    });

    await settle(service().addTracks('pl_1', ['trk_1']));

    const adding = seen.filter((r) => r.path.endsWith('/entries'));
    expect(adding.map((r) => r.headers.authorization)).toEqual(['Bearer access-1', 'Bearer new-access']);
    expect(keyOf(adding[0]!)).toMatch(/^[\x21-\x7e]+$/);
    expect(keyOf(adding[1]!)).toBe(keyOf(adding[0]!));
  });

  it('sends a long add in requests of 100, each with its own key derived from the action key', async () => {
    const server = keyedAddRoute();
    const seen = fakeApi({ 'POST /playlists/pl_1/entries': server.route });
    const trackIds = Array.from({ length: 250 }, (_, i) => `trk_${i}`);

    await expect(service().addTracks('pl_1', trackIds, { key: 'action-1' })).resolves.toHaveLength(250);

    expect(seen.map((r) => [keyOf(r), (r.body as { trackIds: string[] }).trackIds.length])).toEqual([
      ['action-1.0', 100],
      ['action-1.1', 100],
      ['action-1.2', 50],
    ]);
  });

  it('says how far a long add got, and finishes it without duplicates when sent again with the same key', async () => {
    // A server that stops part way through the second request while it is down, and resumes it later.
    let down = true;
    const stored: string[] = [];
    const progress = new Map<string, number>();
    const seen = fakeApi({
      'POST /playlists/pl_1/entries': ({ headers, body }: SeenRequest) => {
        const key = headers['idempotency-key']!;
        const { trackIds } = body as { trackIds: string[] };
        const done = progress.get(key) ?? 0;
        const upTo = down && key.endsWith('.1') ? 40 : trackIds.length;
        stored.push(...trackIds.slice(done, upTo));
        progress.set(key, Math.max(done, upTo));
        if (upTo < trackIds.length) {
          return jsonResponse(503, { error: { code: 'unavailable', message: 'Try later', added: upTo, requested: trackIds.length } });
        }
        return jsonResponse(201, { items: makeEntries(makeTracks(trackIds.length)) });
      },
    });
    const trackIds = Array.from({ length: 150 }, (_, i) => `trk_${i}`);

    await expect(settle(service().addTracks('pl_1', trackIds, { key: 'action-1' }))).rejects.toMatchObject({
      status: 503,
      details: { added: 140, requested: 150 },
    });
    expect(seen).toHaveLength(1 + MAX_ATTEMPTS);

    down = false;
    await expect(service().addTracks('pl_1', trackIds, { key: 'action-1' })).resolves.toHaveLength(150);
    expect(stored).toEqual(trackIds);
  });

  it('takes a 404 after a lost answer to a DELETE as deleted', async () => {
    let deletes = 0;
    const seen = fakeApi({
      'DELETE /playlists/pl_1': () => {
        if (++deletes === 1) throw dropped();
        return jsonResponse(404, errorBody('not_found', 'Playlist not found'));
      },
      'DELETE /playlists/pl_1/entries/ent_1': () => {
        if (++deletes === 3) throw dropped();
        return jsonResponse(404, errorBody('not_found', 'Entry not found'));
      },
    });

    await expect(settle(service().remove('pl_1'))).resolves.toBeUndefined();
    await expect(settle(service().removeEntry('pl_1', 'ent_1'))).resolves.toBeUndefined();
    expect(seen).toHaveLength(4);
    expect(seen.every((r) => keyOf(r) === undefined)).toBe(true);
  });

  it('sends a move whose answer was lost again', async () => {
    let moves = 0;
    const seen = fakeApi({
      'PATCH /playlists/pl_1/entries/ent_1': () => {
        if (++moves === 1) throw dropped();
        return jsonResponse(200, { id: 'ent_1', trackId: 'trk_1', track: null });
      },
    });
    await expect(settle(service().moveEntry('pl_1', 'ent_1', 'ent_3'))).resolves.toMatchObject({ id: 'ent_1' });
    expect(seen.map((r) => r.body)).toEqual([{ before: 'ent_3' }, { before: 'ent_3' }]);
  });
});
