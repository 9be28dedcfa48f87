import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Track } from '../../backend/domain/catalog';
import type { ScheduleEvent } from '../../backend/api/types';
import { apiEvent, bodyOf } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
type Feed = { generatedAt: string | null; tracks: Track[]; sections: { title: string; tracks: Track[] }[] };
let stack: Stack;
const tracks = Array.from({ length: 40 }, (_, i) => makeTrack(200 + i));
const scheduled = { 'detail-type': 'Scheduled Event', detail: {} } as ScheduleEvent;
const getHome = async () => bodyOf<Feed>(await stack.functions.home(apiEvent('GET /home', { sub: 'listener' })));

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(() => stack?.stop());

describe('home feed', () => {
  it('is empty, not missing, before the first shuffle', async () => {
    expect(await getHome()).toEqual({ generatedAt: null, tracks: [], sections: [] });
  });

  it('publishes a permutation of the catalog with sections, and avoids repeating its lead', async () => {
    for (const track of tracks) await stack.catalog.saveTrack(track);
    const first = await stack.shuffle(scheduled);
    expect(first.trackCount).toBe(40);

    const feed = await getHome();
    expect(feed.generatedAt).toBe(first.generatedAt);
    expect(feed.tracks.map((t) => t.id).sort()).toEqual(tracks.map((t) => t.id).sort());
    expect(feed.sections[0]!.title).toBe('Fresh picks');
    expect(feed.sections[0]!.tracks.map((t) => t.id)).toEqual(feed.tracks.slice(0, 12).map((t) => t.id));
    expect(
      feed.sections
        .slice(1)
        .map((s) => s.title)
        .sort(),
    ).toEqual(['Folk', 'Jazz', 'Rock']);
    for (const section of feed.sections.slice(1)) expect(section.tracks.every((t) => t.genre === section.title)).toBe(true);

    await stack.shuffle(scheduled);
    const next = await getHome();
    const previousLead = new Set(feed.tracks.slice(0, 12).map((t) => t.id));
    expect(next.tracks.slice(0, 12).filter((t) => previousLead.has(t.id))).toEqual([]);
  });

  it('needs a verified user', async () => {
    expect((await stack.functions.home(apiEvent('GET /home'))).statusCode).toBe(401);
  });
});
