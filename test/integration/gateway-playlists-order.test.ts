/*
 * Entry order over real HTTP through the local gateway: random edit sequences against a plain
 * array model, and a 10,000-entry playlist read back page by page.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEntries, ApiClient, appendEntries, catalogTrackIds, signUp, type EntryView, type Page } from '../support/api-client';
import { startFreshStack, type FreshStack } from '../support/local-stack';
import { sharedDynamoDb } from '../support/shared-dynamodb';

let fresh: FreshStack;
let api: ApiClient;
let trackIds: string[];

beforeAll(async () => {
  fresh = await startFreshStack('gateway-order', sharedDynamoDb('gw-order'));
  api = new ApiClient(fresh.stack.api, (await signUp(fresh.stack.auth, 'orderly')).accessToken);
  trackIds = await catalogTrackIds(api);
});
afterAll(() => fresh?.stop());

async function createPlaylist(name: string): Promise<string> {
  const response = await api.post<{ id: string }>('/playlists', { name });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** Edits with positions as free numbers; they are read modulo the playlist's length when applied. */
type Edit =
  | { kind: 'add'; tracks: number[]; where: 'start' | 'end' | 'before'; at: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'remove'; at: number };

const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    tracks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    where: fc.constantFrom('start' as const, 'end' as const, 'before' as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
);

type ModelEntry = { id: string; trackId: string };

/** Applies one edit to the playlist over HTTP and to the model, the way an array would change. */
async function apply(playlistId: string, model: ModelEntry[], edit: Edit): Promise<void> {
  const path = `/playlists/${playlistId}/entries`;
  if (edit.kind === 'add') {
    const ids = edit.tracks.map((n) => trackIds[n % trackIds.length]!);
    const anchor = edit.where === 'before' && model.length ? model[edit.at % model.length]! : undefined;
    const position = anchor ? { before: anchor.id } : edit.where === 'before' ? 'end' : edit.where;
    const response = await api.post<Page<EntryView>>(path, { trackIds: ids, position });
    expect(response.status).toBe(201);
    const added = response.body.items.map((e) => ({ id: e.id, trackId: e.trackId }));
    const index = anchor ? model.indexOf(anchor) : position === 'start' ? 0 : model.length;
    model.splice(index, 0, ...added);
    return;
  }
  if (!model.length) return;
  if (edit.kind === 'remove') {
    const [removed] = model.splice(edit.at % model.length, 1);
    expect((await api.delete(`${path}/${removed!.id}`)).status).toBe(204);
    return;
  }
  const [moving] = model.splice(edit.from % model.length, 1);
  const target = edit.to % (model.length + 1);
  const before = model[target]?.id ?? null;
  expect((await api.patch(`${path}/${moving!.id}`, { before })).status).toBe(200);
  model.splice(target, 0, moving!);
}

describe('entry order through the local gateway', () => {
  it('matches an array after any sequence of adds, moves and removes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(editArbitrary, { minLength: 1, maxLength: 40 }), async (edits) => {
        const playlistId = await createPlaylist(`Property ${++run}`);
        const model: ModelEntry[] = [];
        for (const edit of edits) await apply(playlistId, model, edit);

        const entries = await allEntries(api, playlistId, 7);
        expect(entries.map((e) => ({ id: e.id, trackId: e.trackId }))).toEqual(model);
        expect((await api.get<{ entryCount: number }>(`/playlists/${playlistId}`)).body.entryCount).toBe(model.length);
      }),
      { numRuns: 50 },
    );
  });

  it('pages through a 10,000-entry playlist in exact order, without gaps or repeats', async () => {
    const playlistId = await createPlaylist('Ten thousand');
    const wanted = Array.from({ length: 10_000 }, (_, i) => trackIds[(i * 7) % trackIds.length]!);
    // 100 adds of 100 (the cap per call); the suite's 60 s test timeout is the time budget.
    const added = await appendEntries(api, playlistId, wanted);

    const entries = await allEntries(api, playlistId, 200);
    expect(entries).toHaveLength(10_000);
    expect(new Set(entries.map((e) => e.id)).size).toBe(10_000);
    expect(entries.map((e) => e.id)).toEqual(added);
    expect(entries.map((e) => e.trackId)).toEqual(wanted);
    expect(entries.every((e) => e.track?.id === e.trackId)).toBe(true);
    expect((await api.get<{ entryCount: number }>(`/playlists/${playlistId}`)).body.entryCount).toBe(10_000);
  });
});
