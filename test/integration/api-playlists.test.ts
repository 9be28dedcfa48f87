import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playlist } from '../../backend/domain/playlists';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';
import { seededRandom } from '../support/random';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
type Entry = { id: string; trackId: string; track: { id: string; title: string } | null };
let stack: Stack;
const tracks = Array.from({ length: 12 }, (_, i) => makeTrack(100 + i));

beforeAll(async () => {
  stack = await startApiStack();
  for (const track of tracks) await stack.catalog.saveTrack(track);
});
afterAll(() => stack?.stop());

const call = (sub: string, routeKey: string, options: EventOptions = {}) =>
  stack.functions.playlists(apiEvent(routeKey, { sub, ...options }));

async function createPlaylist(sub: string, name = 'Road trip'): Promise<Playlist> {
  const res = await call(sub, 'POST /playlists', { body: { name } });
  expect(res.statusCode).toBe(201);
  return bodyOf<Playlist>(res);
}

async function allEntries(sub: string, id: string, limit = 7): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | undefined;
  do {
    const query = { limit: String(limit), ...(cursor ? { cursor } : {}) };
    const res = await call(sub, 'GET /playlists/{id}/entries', { pathParameters: { id }, query });
    expect(res.statusCode).toBe(200);
    const page = bodyOf<{ items: Entry[]; cursor?: string }>(res);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

describe('playlists API', () => {
  it('creates, reads, renames, lists and deletes a playlist', async () => {
    const created = await createPlaylist('alice', '  Morning  ');
    expect(created).toMatchObject({ name: 'Morning', description: '', entryCount: 0, version: 1 });

    const path = { pathParameters: { id: created.id } };
    expect(bodyOf(await call('alice', 'GET /playlists/{id}', path))).toMatchObject({ id: created.id });
    const renamed = await call('alice', 'PATCH /playlists/{id}', { ...path, body: { name: 'Mornings', version: 1 } });
    expect(bodyOf(renamed)).toMatchObject({ name: 'Mornings', version: 2 });

    const stale = await call('alice', 'PATCH /playlists/{id}', { ...path, body: { description: 'x', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(bodyOf(stale)).toMatchObject({ error: { code: 'conflict', currentVersion: 2 } });

    const list = bodyOf<{ items: Playlist[] }>(await call('alice', 'GET /playlists'));
    expect(list.items.map((p) => p.id)).toContain(created.id);

    await call('alice', 'POST /playlists/{id}/entries', { ...path, body: { trackIds: [tracks[0]!.id] } });
    expect((await call('alice', 'DELETE /playlists/{id}', path)).statusCode).toBe(204);
    expect((await call('alice', 'GET /playlists/{id}', path)).statusCode).toBe(404);
    expect((await call('alice', 'DELETE /playlists/{id}', path)).statusCode).toBe(404);
  });

  it('validates input with the offending field named', async () => {
    const cases: [EventOptions['body'], string][] = [
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'ok', description: 'd'.repeat(501) }, 'description'],
    ];
    for (const [body, field] of cases) {
      const res = await call('alice', 'POST /playlists', { body });
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res)).toMatchObject({ error: { code: 'invalid_input', field } });
    }
    expect((await call('alice', 'POST /playlists', { body: '{oops' })).statusCode).toBe(400);
    const wrongType = await call('alice', 'POST /playlists', { body: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.statusCode).toBe(415);

    const { id } = await createPlaylist('alice');
    const unknown = await call('alice', 'POST /playlists/{id}/entries', {
      pathParameters: { id },
      body: { trackIds: [tracks[0]!.id, 'tr_nope'] },
    });
    expect(bodyOf(unknown)).toMatchObject({ error: { code: 'invalid_input', field: 'trackIds.1' } });
  });

  it('hides one user’s playlist and entries from another', async () => {
    const { id } = await createPlaylist('alice');
    const add = await call('alice', 'POST /playlists/{id}/entries', { pathParameters: { id }, body: { trackIds: [tracks[1]!.id] } });
    const [entry] = bodyOf<{ items: Entry[] }>(add).items;
    const asBob = (routeKey: string, options: EventOptions = {}) =>
      call('bob', routeKey, { pathParameters: { id, entryId: entry!.id }, ...options });

    expect((await asBob('GET /playlists/{id}')).statusCode).toBe(404);
    expect((await asBob('GET /playlists/{id}/entries')).statusCode).toBe(404);
    expect((await asBob('PATCH /playlists/{id}', { body: { name: 'mine', version: 1 } })).statusCode).toBe(404);
    expect((await asBob('POST /playlists/{id}/entries', { body: { trackIds: [tracks[0]!.id] } })).statusCode).toBe(404);
    expect((await asBob('PATCH /playlists/{id}/entries/{entryId}', { body: { before: null } })).statusCode).toBe(404);
    expect((await asBob('DELETE /playlists/{id}/entries/{entryId}')).statusCode).toBe(404);
    expect((await asBob('DELETE /playlists/{id}')).statusCode).toBe(404);
    expect(bodyOf<{ items: Playlist[] }>(await call('bob', 'GET /playlists')).items).toEqual([]);
    expect(await allEntries('alice', id)).toHaveLength(1);
  });

  it('keeps entry order through inserts and many moves, like an array would', async () => {
    const { id } = await createPlaylist('carol');
    const path = { pathParameters: { id } };
    const model: string[] = [];
    const add = async (trackIds: string[], position?: unknown) => {
      const res = await call('carol', 'POST /playlists/{id}/entries', { ...path, body: { trackIds, position } });
      expect(res.statusCode).toBe(201);
      return bodyOf<{ items: Entry[] }>(res).items.map((e) => e.id);
    };
    model.push(...(await add(tracks.slice(0, 4).map((t) => t.id))));
    model.unshift(...(await add([tracks[4]!.id, tracks[5]!.id], 'start')));
    const anchor = model[3]!;
    model.splice(3, 0, ...(await add([tracks[6]!.id, tracks[7]!.id, tracks[8]!.id], { before: anchor })));

    const random = seededRandom(11);
    for (let i = 0; i < 60; i++) {
      const moving = model[Math.floor(random() * model.length)]!;
      const rest = model.filter((e) => e !== moving);
      const target = Math.floor(random() * (rest.length + 1));
      const before = rest[target] ?? null;
      const res = await call('carol', 'PATCH /playlists/{id}/entries/{entryId}', {
        pathParameters: { id, entryId: moving },
        body: { before },
      });
      expect(res.statusCode).toBe(200);
      model.splice(0, model.length, ...rest.slice(0, target), moving, ...rest.slice(target));
    }
    expect((await allEntries('carol', id)).map((e) => e.id)).toEqual(model);

    const removed = model.splice(2, 1)[0]!;
    expect((await call('carol', 'DELETE /playlists/{id}/entries/{entryId}', { pathParameters: { id, entryId: removed } })).statusCode).toBe(
      204,
    );
    expect((await call('carol', 'DELETE /playlists/{id}/entries/{entryId}', { pathParameters: { id, entryId: removed } })).statusCode).toBe(
      404,
    );
    const entries = await allEntries('carol', id);
    expect(entries.map((e) => e.id)).toEqual(model);
    expect(entries.every((e) => e.track?.id === e.trackId)).toBe(true);
    expect(bodyOf<Playlist>(await call('carol', 'GET /playlists/{id}', path)).entryCount).toBe(model.length);
  });

  it('lands 50 concurrent adds exactly once each', async () => {
    const { id } = await createPlaylist('dave');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('dave', 'POST /playlists/{id}/entries', { pathParameters: { id }, body: { trackIds: [tracks[i % tracks.length]!.id] } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const added = results.map((r) => bodyOf<{ items: Entry[] }>(r).items[0]!.id);
    const entries = await allEntries('dave', id, 200);
    expect(entries).toHaveLength(50);
    expect(new Set(entries.map((e) => e.id))).toEqual(new Set(added));
    const playlist = bodyOf<Playlist>(await call('dave', 'GET /playlists/{id}', { pathParameters: { id } }));
    expect(playlist.entryCount).toBe(50);

    // Entries that raced to the same spot can still be reordered between each other.
    const [a, b] = entries;
    const move = await call('dave', 'PATCH /playlists/{id}/entries/{entryId}', {
      pathParameters: { id, entryId: b!.id },
      body: { before: a!.id },
    });
    expect(move.statusCode).toBe(200);
    expect((await allEntries('dave', id, 200)).slice(0, 2).map((e) => e.id)).toEqual([b!.id, a!.id]);
  });
});
