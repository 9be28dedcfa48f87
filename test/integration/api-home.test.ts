import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { DynamoListeningRepository } from '../../backend/adapters/dynamodb/listening-repository.dynamodb';
import { userDataStores } from '../../backend/api/accounts/user-data-stores';
import { runHomeFeedJob, type HomeFeedJobDeps, type HomeFeedRun } from '../../backend/api/home/home-feed-job';
import { dynamoHomeFeedJobDeps } from '../../backend/api/home/shuffle-function';
import type { ScheduleEvent } from '../../backend/api/types';
import { createHomeFeedStep } from '../../backend/cli/import/home-feed';
import { targetFromStackInfo } from '../../backend/cli/import/target';
import { main as shuffleCommand } from '../../backend/cli/shuffle';
import type { Track } from '../../backend/domain/catalog';
import type { ChangedListener } from '../../backend/domain/home-feed-ports';
import type { HomeFeed } from '../../shared/api';
import { apiEvent, bodyOf } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;
let plays: DynamoListeningRepository;
let jobDeps: HomeFeedJobDeps;
let doc: ReturnType<typeof createDynamoClients>['doc'];
// Artist and genre follow n % 3 (makeTrack): 0 Jazz, 1 Rock, 2 Folk.
const tracks = Array.from({ length: 60 }, (_, i) => makeTrack(201 + i));
const ofGenre = (genre: string) => tracks.filter((t) => t.genre === genre);
const scheduled = { 'detail-type': 'Scheduled Event', detail: {} } as ScheduleEvent;
const getHome = async (sub = 'listener') => bodyOf<HomeFeed>(await stack.functions.home(apiEvent('GET /home', { sub })));
const sectionIds = (feed: HomeFeed) => feed.sections.map((s) => s.id);
const section = (feed: HomeFeed, id: string) => feed.sections.find((s) => s.id === id)?.tracks ?? [];
const ids = (list: Track[]) => list.map((t) => t.id);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Plays as the listening API stores them: the play, the counts and the listener's `changed` mark. */
async function play(userId: string, trackIds: string[], at = new Date()) {
  const list = trackIds.map((trackId, i) => ({ id: randomUUID(), trackId, startedAt: minutesAgo(trackIds.length - i), msPlayed: 200_000 }));
  await plays.recordPlays(userId, list, at);
}

const markers = async () => {
  const found: ChangedListener[] = [];
  for await (const page of jobDeps.listening.changedListeners()) found.push(...page);
  return found;
};

/** The job's reader of the listening table, running `afterRead` once it has read a listener and before it writes their feed. */
function readingThen(afterRead: (userId: string) => Promise<void>): HomeFeedJobDeps['listening'] {
  const listening = jobDeps.listening;
  return {
    changedListeners: () => listening.changedListeners(),
    latestPlays: (u, n) => listening.latestPlays(u, n),
    dayPlays: (d, n) => listening.dayPlays(d, n),
    activity: async (userId, since) => {
      const read = await listening.activity(userId, since);
      await afterRead(userId);
      return read;
    },
  };
}

/** What the account purge erases of one user, store by store as it does. */
async function purgeUser(userId: string) {
  for (const store of userDataStores(stack.config, doc)) await store.eraseUser(userId);
}

beforeAll(async () => {
  stack = await startApiStack();
  ({ doc } = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb }));
  plays = new DynamoListeningRepository(doc, stack.config.tables.listening);
  jobDeps = dynamoHomeFeedJobDeps(doc, stack.config.tables, stack.catalog);
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

describe('home feed', () => {
  it('is empty, not missing, before the first run', async () => {
    expect(await getHome()).toEqual({ generatedAt: null, tracks: [], sections: [] });
  });

  it('gives a listener with no plays the global mix, the new tracks, and avoids repeating the mix’s lead', async () => {
    await stack.catalog.saveTracks(tracks);
    const first = await stack.shuffle(scheduled);
    expect(first).toMatchObject({ trackCount: 60, listenersRebuilt: 0, listenersLeft: 0 });

    const feed = await getHome();
    expect(feed.generatedAt).toBe(first.generatedAt);
    // Nobody played anything yet: no "Popular this week"; nothing of theirs either.
    expect(sectionIds(feed)).toEqual(['for-you', 'new']);
    expect(section(feed, 'for-you')).toHaveLength(30);
    expect(new Set(ids(section(feed, 'for-you'))).size).toBe(30);
    expect(feed.tracks).toEqual(section(feed, 'for-you'));
    expect(section(feed, 'new')).toHaveLength(20);

    await stack.shuffle(scheduled);
    const lead = new Set(ids(feed.tracks.slice(0, 12)));
    expect(ids((await getHome()).tracks.slice(0, 12)).filter((id) => lead.has(id))).toEqual([]);
  });

  it('shows a play in "Recently played" at once, before any run', async () => {
    const [a, b] = ofGenre('Folk');
    await play('quick', [a!.id, b!.id, a!.id]);
    const feed = await getHome('quick');
    expect(ids(section(feed, 'recently-played'))).toEqual([a!.id, b!.id]);
    expect(sectionIds(feed)).toEqual(['for-you', 'recently-played', 'new']);
  });

  it('builds each listener’s own feed from their plays, and counts them in "Popular this week"', async () => {
    const jazz = ofGenre('Jazz')
      .slice(0, 3)
      .map((t) => t.id);
    const rock = ofGenre('Rock')
      .slice(0, 2)
      .map((t) => t.id);
    await play('jazz-fan', [jazz[0]!, jazz[0]!, jazz[0]!, jazz[1]!, jazz[2]!]);
    await play('rock-fan', [rock[0]!, rock[1]!, rock[1]!]);

    const run = await stack.shuffle(scheduled);
    expect(run).toMatchObject({ listenersRebuilt: 3, listenersLeft: 0, listenersSuperseded: 0, listenersFailed: 0 });
    expect(await markers()).toEqual([]);

    const jazzFeed = await getHome('jazz-fan');
    const rockFeed = await getHome('rock-fan');
    for (const feed of [jazzFeed, rockFeed]) {
      expect(sectionIds(feed)).toEqual(['for-you', 'recently-played', 'most-played', 'new', 'popular']);
      expect(feed.tracks).toEqual(feed.sections[0]!.tracks);
    }
    expect(ids(section(jazzFeed, 'most-played'))).toEqual([jazz[0], ...[jazz[1]!, jazz[2]!].sort()]);
    expect(ids(section(rockFeed, 'most-played'))).toEqual([rock[1], rock[0]]);
    expect(ids(section(jazzFeed, 'recently-played'))).toEqual([jazz[2], jazz[1], jazz[0]]);

    // Every track of their artist and genre is in, bar what they heard within the day; the
    // places left go to tracks they never played.
    const forYou = (feed: HomeFeed) => ids(section(feed, 'for-you'));
    const unheard = (genre: string, heard: string[]) => ids(ofGenre(genre)).filter((id) => !heard.includes(id));
    expect(forYou(jazzFeed)).toHaveLength(30);
    expect(forYou(jazzFeed)).toEqual(expect.arrayContaining(unheard('Jazz', jazz)));
    expect(forYou(jazzFeed).filter((id) => jazz.includes(id))).toEqual([]);
    expect(forYou(rockFeed)).toEqual(expect.arrayContaining(unheard('Rock', rock)));

    // Popular across all listeners: the jazz fan's three plays of one track lead.
    expect(ids(section(jazzFeed, 'popular'))[0]).toBe(jazz[0]);
    expect(section(rockFeed, 'popular')).toEqual(section(jazzFeed, 'popular'));
    // A listener who played nothing still gets the global mix.
    expect(sectionIds(await getHome('newcomer'))).toEqual(['for-you', 'new', 'popular']);
  });

  it('recomputes only the listeners marked changed since the last run', async () => {
    const before = await getHome('rock-fan');
    const jazzBefore = (await getHome('jazz-fan')).generatedAt;
    const quiet = await stack.shuffle(scheduled);
    expect(quiet.listenersRebuilt).toBe(0);
    expect((await getHome('jazz-fan')).generatedAt).toBe(jazzBefore);

    await play('jazz-fan', [ofGenre('Jazz')[5]!.id]);
    const next = await stack.shuffle(scheduled);
    expect(next.listenersRebuilt).toBe(1);
    expect((await getHome('jazz-fan')).generatedAt! > jazzBefore!).toBe(true);
    expect((await getHome('rock-fan')).generatedAt).toBe(before.generatedAt);
  });

  it('keeps the mark of a listener who played again while their feed was rebuilt, and rebuilds them next run', async () => {
    const extra = ofGenre('Rock')[7]!.id;
    await play('busy', [ofGenre('Rock')[6]!.id]);
    // A play lands between reading the listener and writing their feed.
    const run = await runHomeFeedJob({
      ...jobDeps,
      listening: readingThen((userId) => (userId === 'busy' ? play(userId, [extra], new Date(Date.now() + 1000)) : Promise.resolve())),
    });
    expect(run).toMatchObject({ listenersRebuilt: 0, listenersSuperseded: 1 });
    expect((await markers()).map((m) => m.userId)).toEqual(['busy']);

    const after = await stack.shuffle(scheduled);
    expect(after).toMatchObject({ listenersRebuilt: 1, listenersSuperseded: 0 });
    expect(ids(section(await getHome('busy'), 'most-played'))).toContain(extra);
    expect(await markers()).toEqual([]);
  });

  it('never writes an older feed over a newer one when two runs overlap', async () => {
    const [first, second] = ofGenre('Jazz').slice(8, 10);
    await play('overlap', [first!.id]);
    let overtaking: HomeFeedRun | undefined;
    // While the slow run holds its view of the listener, they play again and a whole run passes it.
    const slow = await runHomeFeedJob({
      ...jobDeps,
      listening: readingThen(async (userId) => {
        if (userId !== 'overlap' || overtaking) return;
        await play(userId, [second!.id], new Date(Date.now() + 1000));
        overtaking = await stack.shuffle(scheduled);
      }),
    });
    expect(ids(section(await getHome('overlap'), 'most-played')).sort()).toEqual([first!.id, second!.id].sort());
    expect(overtaking).toMatchObject({ listenersRebuilt: 1, listenersFailed: 0 });
    expect(slow).toMatchObject({ listenersRebuilt: 0, listenersSuperseded: 1, listenersFailed: 0 });
    expect(await markers()).toEqual([]);
  });

  it('leaves no feed behind for an account erased while its feed was being rebuilt', async () => {
    await play('erased-mid-run', [ofGenre('Rock')[9]!.id]);
    const run = await runHomeFeedJob({
      ...jobDeps,
      listening: readingThen((userId) => (userId === 'erased-mid-run' ? purgeUser(userId) : Promise.resolve())),
    });
    expect(await jobDeps.home.listenerFeed('erased-mid-run')).toBeUndefined();
    expect(run).toMatchObject({ listenersRebuilt: 0, listenersSuperseded: 1, listenersFailed: 0 });
    expect(await markers()).toEqual([]);
  });

  it('erases a deleted account’s own feed with its data: the global feed is all that is left', async () => {
    await play('leaving', [ofGenre('Folk')[10]!.id, ofGenre('Folk')[11]!.id]);
    expect(await stack.shuffle(scheduled)).toMatchObject({ listenersRebuilt: 1 });
    expect(await jobDeps.home.listenerFeed('leaving')).toBeDefined();

    await purgeUser('leaving');
    expect(await jobDeps.home.listenerFeed('leaving')).toBeUndefined();
    const feed = await getHome('leaving');
    expect(sectionIds(feed)).toEqual(['for-you', 'new', 'popular']);
    expect(feed.tracks).toEqual((await getHome('newcomer')).tracks);
  });

  it('leaves the listeners it has no time for marked, and says how many', async () => {
    for (const user of ['late-1', 'late-2', 'late-3']) await play(user, [ofGenre('Folk')[3]!.id]);
    const run = await runHomeFeedJob(jobDeps, { remainingMs: () => 10_000, reserveMs: 30_000 });
    expect(run).toMatchObject({ listenersRebuilt: 0, listenersLeft: 3 });
    expect((await markers()).map((m) => m.userId).sort()).toEqual(['late-1', 'late-2', 'late-3']);
    expect(await stack.shuffle(scheduled)).toMatchObject({ listenersRebuilt: 3, listenersLeft: 0 });
  });

  it('gives a listener who cleared their history the global feed again', async () => {
    await plays.clearHistory('rock-fan', new Date());
    expect(await stack.shuffle(scheduled)).toMatchObject({ listenersReset: 1 });
    const feed = await getHome('rock-fan');
    expect(sectionIds(feed)).toEqual(['for-you', 'new', 'popular']);
    expect(feed.tracks).toEqual((await getHome('newcomer')).tracks);
  });

  it('runs now from the command line against the local stack named by stack.json, and says what it did', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'alktunes-shuffle-cli-'));
    try {
      const { tables, region, endpoints } = stack.config;
      await writeFile(join(dataDir, 'stack.json'), JSON.stringify({ dynamodb: endpoints.dynamodb, region, tables }));
      await play('from-cli', [ofGenre('Folk')[8]!.id]);
      const lines: string[] = [];
      expect(await shuffleCommand(['--data-dir', dataDir], {}, (line) => lines.push(line))).toBe(0);
      expect(lines.at(-1)).toMatch(
        /^global feed of 60 tracks published, 1 listeners rebuilt, 0 reset to the global feed, 0 left for the next run in \d+\.\d s$/,
      );
      expect(sectionIds(await getHome('from-cli'))).toContain('most-played');

      expect(await shuffleCommand(['--data-dir', join(dataDir, 'missing')], {}, (line) => lines.push(line))).toBe(1);
      expect(lines.at(-1)).toMatch(/the local stack is not running .* start it with npm start/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rebuilds the marked listeners’ feeds after an import into the local stack, as a run of the schedule does', async () => {
    await play('after-import', [ofGenre('Jazz')[12]!.id]);
    const { tables, region, endpoints, mediaBucket } = stack.config;
    const stackJson = { s3: endpoints.s3, dynamodb: endpoints.dynamodb, region, bucket: mediaBucket, tables };
    const step = createHomeFeedStep(targetFromStackInfo(stackJson).homeFeed!, { region, doc, catalog: stack.catalog });
    expect(await step.publish()).toMatchObject({ trackCount: 60, listenersRebuilt: 1 });
    expect(sectionIds(await getHome('after-import'))).toContain('most-played');
    expect(await markers()).toEqual([]);
  });

  it('needs a verified user', async () => {
    expect((await stack.functions.home(apiEvent('GET /home'))).statusCode).toBe(401);
  });
});
