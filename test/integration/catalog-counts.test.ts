import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountCatalog, scanAll } from '../../backend/adapters/dynamodb/catalog-recount';
import { DynamoCatalogRepository } from '../../backend/adapters/dynamodb/catalog-repository.dynamodb';
import { runImport, type ImportDeps } from '../../backend/cli/import/importer';
import { startImportTarget, writeLibrary } from '../../backend/cli/import/testing';
import { main as reindex } from '../../backend/cli/reindex';
import type { TrackRecord } from '../../backend/domain/catalog';
import { AppError } from '../../backend/domain/errors';
import { albumIdFor, artistIdFor } from '../../backend/domain/ids';
import { makeTrack } from '../support/api-stack';
import { mp3File } from '../support/audio-fixtures';
import { faultyDynamoClients, type FaultMode } from '../support/dynamodb-faults';
import { seededRandom } from '../support/random';
import { sharedDynamoDb } from '../support/shared-dynamodb';

type Item = Record<string, unknown>;
type Target = Awaited<ReturnType<typeof startImportTarget>>;

let dir: string;
let env: Target;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alktunes-catalog-counts-'));
  env = await startImportTarget(dir, sharedDynamoDb('catalog-counts'));
});
afterAll(async () => {
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A catalog on its own client whose writes fail from the `failAt`-th on, as if the process (the
 * import) had died there: `before`, that write never reached DynamoDB; `after`, it landed and
 * the answer was lost. Reads change nothing, so dying at a read is dying before the next write.
 */
function dyingCatalog(failAt?: number, mode: FaultMode = 'before') {
  const clients = faultyDynamoClients({ region: env.target.region, endpoint: env.target.endpoints.dynamodb });
  if (failAt !== undefined) clients.failWrite(failAt, mode);
  return {
    catalog: new DynamoCatalogRepository(clients.doc, env.target.tracksTable),
    writes: () => clients.writes,
    close: () => clients.client.destroy(),
  };
}

const processDied = /injected fault/;

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/**
 * Every way the stored counts of the given albums and artists disagree with a recount from the
 * stored tracks: an album's `trackCount` is its tracks, an artist's `trackCount` its tracks on any
 * album and its `albumCount` the albums it owns that have tracks. Empty when all agree.
 */
async function disagreements(albumIds: Iterable<string>, artistIds: Iterable<string>): Promise<string[]> {
  const items = await scanAll(env.doc, env.target.tracksTable);
  const tracks = items.filter((item) => item.sk === 'track');
  const albums = new Map(items.filter((item) => item.sk === 'album').map((item) => [item.id as string, item]));
  const artists = new Map(items.filter((item) => item.sk === 'artist').map((item) => [item.id as string, item]));
  const tracksOnAlbum = countBy(tracks, (t) => t.albumId as string);
  const tracksByArtist = countBy(tracks, (t) => t.artistId as string);
  const filledAlbums = [...albums.values()].filter((album) => (tracksOnAlbum.get(album.id as string) ?? 0) > 0);
  const albumsOwned = countBy(filledAlbums, (album) => album.artistId as string);

  const problems: string[] = [];
  for (const id of albumIds) {
    const expected = tracksOnAlbum.get(id) ?? 0;
    const album = albums.get(id);
    if (!album) {
      if (expected) problems.push(`album ${id}: missing, ${expected} tracks on it`);
    } else if (Number(album.trackCount ?? 0) !== expected) {
      problems.push(`album ${id} (${String(album.name)}): trackCount ${String(album.trackCount)}, tracks say ${expected}`);
    }
  }
  for (const id of artistIds) {
    const expected = { trackCount: tracksByArtist.get(id) ?? 0, albumCount: albumsOwned.get(id) ?? 0 };
    const artist = artists.get(id);
    if (!artist) {
      if (expected.trackCount) problems.push(`artist ${id}: missing, ${expected.trackCount} tracks by it`);
      continue;
    }
    const stored = { trackCount: Number(artist.trackCount ?? 0), albumCount: Number(artist.albumCount ?? 0) };
    if (stored.trackCount !== expected.trackCount || stored.albumCount !== expected.albumCount) {
      problems.push(`artist ${id} (${String(artist.name)}): stored ${JSON.stringify(stored)}, tracks say ${JSON.stringify(expected)}`);
    }
  }
  return problems;
}

const moveTo = (track: TrackRecord, artist: string, album: string, owner = artist): TrackRecord => ({
  ...track,
  artist,
  artistId: artistIdFor(artist),
  album,
  albumId: albumIdFor(owner, album),
});

/**
 * A catalog state and a save that changes it: tracks leave an album for another artist's album
 * (emptying the first), join a guest album owned by someone else, arrive on a new album (more
 * than one request or transaction holds), and one is saved again unchanged.
 */
function scenario(n: number) {
  const name = (part: string) => `Crash ${n} ${part}`;
  const track = (i: number) => makeTrack(10_000 * (n + 1) + i, { artist: name('From'), album: name('Left') });
  const before = [
    track(0),
    track(1),
    track(2),
    moveTo(track(3), name('To'), name('Right')),
    moveTo(track(4), name('Host'), name('Shared')),
  ];
  const save = [
    moveTo(before[0]!, name('To'), name('Right')),
    moveTo(before[1]!, name('To'), name('Right')),
    moveTo(before[2]!, name('From'), name('Shared'), name('Host')),
    before[3]!,
    moveTo(before[4]!, name('To'), name('Right')),
    ...Array.from({ length: 120 }, (_, i) => moveTo(track(5 + i), name('Fresh'), name('New'))),
  ];
  const albums = [
    albumIdFor(name('From'), name('Left')),
    albumIdFor(name('To'), name('Right')),
    albumIdFor(name('Host'), name('Shared')),
    albumIdFor(name('Fresh'), name('New')),
  ];
  const artists = ['From', 'To', 'Host', 'Fresh'].map((who) => artistIdFor(name(who)));
  return { before, save, albums, artists };
}

describe('catalog counts when a save is cut short', () => {
  it('agree with the tracks whichever request the process dies at', async () => {
    const healthy = dyingCatalog();
    const whole = scenario(0);
    await healthy.catalog.saveTracks(whole.before);
    const start = healthy.writes();
    await healthy.catalog.saveTracks(whole.save);
    const writes = healthy.writes() - start;
    healthy.close();
    expect(writes).toBeGreaterThan(1);
    expect(await disagreements(whole.albums, whole.artists)).toEqual([]);
    expect(await env.deps.catalog.getAlbum(whole.albums[0]!)).toMatchObject({ trackCount: 0 });

    const failures: string[] = [];
    let n = 0;
    for (const mode of ['before', 'after'] as const) {
      for (let failAt = 1; failAt <= writes; failAt++) {
        const { before, save, albums, artists } = scenario(++n);
        await env.deps.catalog.saveTracks(before);
        const dying = dyingCatalog(failAt, mode);
        await expect(dying.catalog.saveTracks(save)).rejects.toThrow(processDied);
        dying.close();
        const at = `write ${failAt} of ${writes} failed ${mode} landing`;
        const problems = await disagreements(albums, artists);
        if (problems.length) failures.push(`${at}: ${problems.join('; ')}`);

        // Saving the same batch again (a retried call) completes it.
        await env.deps.catalog.saveTracks(save);
        const left = await disagreements(albums, artists);
        if (left.length) failures.push(`${at}, then saved again: ${left.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('agree with the tracks after an import that died anywhere is run again', async () => {
    const noIndex: ImportDeps['searchIndex'] = { description: 'none', updateSearchIndex: async () => {}, finish: async () => {} };
    /** Six songs on two albums, different audio for every `n` (ids follow the content). */
    const library = async (n: number) => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 6; i++) {
        const [artist, album] = i < 4 ? [`Rerun ${n} A`, 'First'] : [`Rerun ${n} B`, 'Second'];
        files[`${artist}/${album}/${i}.mp3`] = mp3File(
          { title: `Song ${i}`, artists: [artist], album },
          { seed: 1000 * (n + 1) + i, frames: 6 },
        );
      }
      return {
        root: await writeLibrary(join(dir, `rerun-${n}`), files),
        albums: [albumIdFor(`Rerun ${n} A`, 'First'), albumIdFor(`Rerun ${n} B`, 'Second')],
        artists: [artistIdFor(`Rerun ${n} A`), artistIdFor(`Rerun ${n} B`)],
      };
    };
    const run = (root: string, catalog = env.deps.catalog) =>
      runImport({ ...env.deps, catalog, searchIndex: noIndex }, { root, dryRun: false, concurrency: 6 });

    const healthy = dyingCatalog();
    const whole = await library(0);
    expect((await run(whole.root, healthy.catalog)).counts.imported).toBe(6);
    const writes = healthy.writes();
    healthy.close();
    expect(await disagreements(whole.albums, whole.artists)).toEqual([]);

    const failures: string[] = [];
    for (let failAt = 1; failAt <= writes; failAt++) {
      const { root, albums, artists } = await library(failAt);
      const dying = dyingCatalog(failAt);
      await run(root, dying.catalog);
      dying.close();
      // The run again finds tracks the dead one stored unchanged, and imports the rest.
      const again = await run(root);
      expect(again.counts.imported + again.counts.unchanged).toBe(6);
      const problems = await disagreements(albums, artists);
      if (problems.length) failures.push(`write ${failAt} of ${writes} failed, then run again: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});

/** `saveTracks` as the API contract asks of clients: a 409 marked `retryable` is tried again, a few times, with backoff. */
async function saveRetryingConflicts(batch: readonly TrackRecord[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await env.deps.catalog.saveTracks(batch);
    } catch (error) {
      const retryable = error instanceof AppError && error.code === 'conflict' && error.details?.retryable === true;
      if (!retryable || attempt === 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt * (0.5 + Math.random() / 2)));
    }
  }
}

describe('catalog counts under concurrent writers', () => {
  it('equal a recount from the tracks after writers re-save and move overlapping tracks', async () => {
    const random = seededRandom(17);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const who = ['Busy A', 'Busy B', 'Busy C', 'Busy D'];
    const titles = ['One', 'Two', 'Three'];
    const pool = Array.from({ length: 40 }, (_, i) => makeTrack(50_000 + i, { artist: who[0], album: titles[0] }));
    const places = who.flatMap((owner) => titles.map((title) => ({ owner, title })));
    const albums = places.map((p) => albumIdFor(p.owner, p.title));
    const artists = who.map(artistIdFor);

    // Each writer saves batches of random tracks to random albums, sometimes as a guest artist.
    // Like any client it tries a retryable 409 again: writers of the same albums may keep
    // invalidating each other's reads past the save's own re-plans.
    const writer = async () => {
      for (let round = 0; round < 6; round++) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
          const place = pick(places);
          const artist = random() < 0.25 ? pick(who) : place.owner;
          return moveTo(pick(pool), artist, place.title, place.owner);
        });
        await saveRetryingConflicts(batch);
      }
    };
    await Promise.all(Array.from({ length: 6 }, writer));

    expect(await disagreements(albums, artists)).toEqual([]);
    const stored = await env.deps.catalog.getTracks(pool.map((t) => t.id));
    const total = (await Promise.all(albums.map((id) => env.deps.catalog.getAlbum(id)))).reduce(
      (sum, album) => sum + (album?.trackCount ?? 0),
      0,
    );
    expect(total).toBe(stored.length);
  });
});

/** Attributes the earlier design (a version-checked recount after every save) left on albums and artists. */
const OLD_ATTRIBUTES = ['countVersion', 'artistTrackCounts', 'albumIds'];

/**
 * The catalog as the earlier design could leave it: counts that drifted, its attributes on
 * every album and artist, and tracks whose album and artist items were never written (a save
 * cut short between its track writes and its recounts). Returns the albums and artists involved.
 */
async function damagedCatalog(label: string, base: number) {
  const name = (part: string) => `${label} ${part}`;
  const track = (i: number, artist: string, album: string, owner = artist) =>
    moveTo(makeTrack(i, { artist: name(artist), album: name(album) }), name(artist), name(album), name(owner));
  await env.deps.catalog.saveTracks([
    ...Array.from({ length: 4 }, (_, i) => track(base + i, 'Owner', 'Full')),
    track(base + 10, 'Guest', 'Full', 'Owner'),
    track(base + 11, 'Owner', 'Solo'),
    ...Array.from({ length: 3 }, (_, i) => track(base + 20 + i, 'Orphan', 'Lost')),
  ]);
  const albums = [
    albumIdFor(name('Owner'), name('Full')),
    albumIdFor(name('Owner'), name('Solo')),
    albumIdFor(name('Orphan'), name('Lost')),
  ];
  const artists = [artistIdFor(name('Owner')), artistIdFor(name('Guest')), artistIdFor(name('Orphan'))];
  const [full, solo, lost] = albums;
  const update = (key: Item, values: Item) => {
    const names = Object.keys(values);
    return env.doc.send(
      new UpdateCommand({
        TableName: env.target.tracksTable,
        Key: key,
        UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
      }),
    );
  };
  const old = (id: string) => ({ countVersion: 7, artistTrackCounts: { [id]: 2 }, albumIds: new Set([full!]) });
  await update({ pk: `album#${full}`, sk: 'album' }, { trackCount: 9, ...old(artists[0]!) });
  await update({ pk: `album#${solo}`, sk: 'album' }, old(artists[0]!)); // right count, old attributes
  await update({ pk: `artist#${artists[0]}`, sk: 'artist' }, { trackCount: 1, albumCount: 5, ...old(artists[0]!) });
  await update({ pk: `artist#${artists[1]}`, sk: 'artist' }, { trackCount: 0, ...old(artists[1]!) });
  for (const key of [
    { pk: `album#${lost}`, sk: 'album' },
    { pk: `artist#${artists[2]}`, sk: 'artist' },
  ]) {
    await env.doc.send(new DeleteCommand({ TableName: env.target.tracksTable, Key: key }));
  }
  return { albums, artists };
}

const withOldAttributes = async () =>
  (await scanAll(env.doc, env.target.tracksTable)).filter((item) => OLD_ATTRIBUTES.some((name) => name in item)).map((item) => item.pk);

describe('recount after upgrading from the earlier count design', () => {
  it('sets every count from the tracks, writes missing albums and artists, and removes the old attributes', async () => {
    const { albums, artists } = await damagedCatalog('Upgrade', 70_000);
    expect(await disagreements(albums, artists)).toHaveLength(5);
    expect(await withOldAttributes()).toHaveLength(4);

    const summary = await recountCatalog(env.doc, env.target.tracksTable);
    expect(summary).toMatchObject({ corrected: 4, created: 2 });
    expect(await disagreements(albums, artists)).toEqual([]);
    expect(await withOldAttributes()).toEqual([]);
    // The album and artist a cut-short save never wrote are listed and named like saved ones.
    expect(await env.deps.catalog.getAlbum(albums[2]!)).toMatchObject({ name: 'Upgrade Lost', artist: 'Upgrade Orphan', trackCount: 3 });
    expect(await env.deps.catalog.listArtistAlbums(artists[2]!)).toMatchObject([{ id: albums[2] }]);
    expect(await env.deps.catalog.getArtist(artists[2]!)).toMatchObject({ name: 'Upgrade Orphan', trackCount: 3, albumCount: 1 });

    // Whatever else the table holds agrees with its tracks too: a second run changes nothing.
    expect(await recountCatalog(env.doc, env.target.tracksTable)).toMatchObject({ corrected: 0, created: 0 });
  });

  it('runs as `reindex --recount` against the local stack, then rebuilds the search index', async () => {
    const { albums, artists } = await damagedCatalog('Command', 71_000);
    const dataDir = join(dir, 'stack');
    await env.writeStackJson(dataDir);
    const lines: string[] = [];
    expect(await reindex(['--recount', '--data-dir', dataDir], {}, (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(
      /recounted \d+ tracks on \d+ albums by \d+ artists in [\d.]+ s: 4 albums and artists corrected, 2 created/,
    );
    expect(lines.join('\n')).toMatch(/indexed \d+ tracks/);
    expect(await disagreements(albums, artists)).toEqual([]);
    expect(await withOldAttributes()).toEqual([]);
  });
});
