/**
 * Home feed benchmark: one run of the schedule (the shuffle function's job) over a generated
 * catalog and listeners who all played since the last run, in DynamoDB Local (prints figures; not
 * a test).
 *
 * - catalog: TRACKS tracks by ~TRACKS/12 artists (two albums each), 12 genres;
 * - LISTENERS listeners, each with PLAYS plays skewed towards one to three favourite artists
 *   and popular tracks (Zipf), 5 likes, the plays' counts, the last day's play items, the day
 *   counters of the week, and a `changed` mark. Older play items are not written: the job never
 *   reads them (its plays query starts 24 hours back on the byTime index);
 * - the run: `runHomeFeedJob` as the shuffle function calls it, with the time left counted from
 *   the function's 14-minute timeout, and every DynamoDB call asked for its consumed capacity.
 *
 * DynamoDB Local answers each call in milliseconds, several times slower than DynamoDB, and
 * shares this machine's CPU with the job: the run time here is an upper bound on the DynamoDB
 * waits, while a 1,024 MB Lambda has ~0.58 vCPU (the job's CPU time is printed beside it).
 *
 *   npx tsx bench/home-feed.ts        # --tracks=5000 --listeners=10000 --plays=50 (or BENCH_TRACKS, …)
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { batchPutAll } from '../backend/adapters/dynamodb/batch';
import { DynamoCatalogRepository } from '../backend/adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../backend/adapters/dynamodb/client';
import { ensureTables } from '../backend/adapters/dynamodb/create-tables';
import { tables, tableName } from '../backend/adapters/dynamodb/tables';
import { runHomeFeedJob } from '../backend/api/home/home-feed-job';
import { dynamoHomeFeedJobDeps } from '../backend/api/home/shuffle-function';
import type { TrackRecord } from '../backend/domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../backend/domain/ids';
import { dayCountExpiresAt, dayOf } from '../backend/domain/listening';
import { startDynamoDb } from '../backend/local/emulators';
import { seededRandom } from '../test/support/random';
import { numberOption } from './lib/options';
import { machineNote, markdownTable, round } from './lib/report';

const TRACKS = numberOption('tracks', 5000);
const LISTENERS = numberOption('listeners', 10_000);
const PLAYS = numberOption('plays', 50);
const LIKES = 5;
/** The shuffle function's configuration (infra/stacks/api-stack.ts). */
const MEMORY_GB = 1024 / 1024;
const TIMEOUT_MS = 14 * 60 * 1000;
/** us-east-1 list prices (2025): Lambda arm64 per GB-second, DynamoDB on-demand per million request units (Standard class). */
const PRICES = { lambdaGbSecond: 0.0000133334, lambdaRequest: 0.2 / 1e6, readUnit: 0.125 / 1e6, writeUnit: 0.625 / 1e6 };
const GENRES = ['Rock', 'Pop', 'Jazz', 'Folk', 'Electronic', 'Hip-Hop', 'Classical', 'Soul', 'Metal', 'Blues', 'Reggae', 'Country'];

const random = seededRandom(42);
/** An index in [0, n) with probability ∝ 1/(i+1): a few items get most of the plays. */
function zipf(n: number): number {
  const harmonic = Math.log(n) + 0.5772;
  let target = random() * harmonic;
  for (let i = 0; i < n; i++) {
    target -= 1 / (i + 1);
    if (target <= 0) return i;
  }
  return n - 1;
}

function generateCatalog(): TrackRecord[] {
  const artists = Math.max(1, Math.round(TRACKS / 12));
  return Array.from({ length: TRACKS }, (_, n) => {
    const a = n % artists;
    const artist = `Artist ${a}`;
    const album = `Album ${a}-${Math.floor(n / artists) % 2}`;
    const contentHash = createHash('sha256').update(`bench-track-${n}`).digest('hex');
    return {
      id: trackIdFor(contentHash),
      title: `Track ${n}`,
      artist,
      artistId: artistIdFor(artist),
      album,
      albumId: albumIdFor(artist, album),
      trackNumber: Math.floor(n / artists) + 1,
      durationMs: 180_000 + n,
      genre: GENRES[zipf(GENRES.length)]!,
      year: 1960 + (n % 65),
      audioKey: `audio/${contentHash}.mp3`,
      contentType: 'audio/mpeg',
      contentHash,
    };
  });
}

type Item = Record<string, unknown>;

/** The listening table's items of every listener (layout in tables.ts), and the week's day counters. */
function generateListening(catalog: TrackRecord[], now: Date): Item[] {
  const byArtist = new Map<string, TrackRecord[]>();
  for (const t of catalog) byArtist.set(t.artistId, [...(byArtist.get(t.artistId) ?? []), t]);
  const artists = [...byArtist.keys()];
  const days = new Map<string, number>();
  const items: Item[] = [];
  for (let l = 0; l < LISTENERS; l++) {
    const pk = `user#bench-${l}`;
    const favourites = Array.from({ length: 1 + Math.floor(random() * 3) }, () => byArtist.get(artists[zipf(artists.length)]!)!);
    const counts = new Map<string, number>();
    const plays: { trackId: string; startedAt: string }[] = [];
    for (let p = 0; p < PLAYS; p++) {
      const favourite = favourites[Math.floor(random() * favourites.length)]!;
      const track = random() < 0.6 ? favourite[Math.floor(random() * favourite.length)]! : catalog[zipf(catalog.length)]!;
      counts.set(track.id, (counts.get(track.id) ?? 0) + 1);
      // Spread over the last week; the latest ones within the last day.
      const startedAt = new Date(now.getTime() - random() * 7 * 86_400_000).toISOString();
      plays.push({ trackId: track.id, startedAt });
      const dayKey = `${dayOf(startedAt)}|${track.id}`;
      days.set(dayKey, (days.get(dayKey) ?? 0) + 1);
    }
    for (const [trackId, n] of counts) items.push({ pk, sk: `count#${trackId}`, plays: n });
    for (const play of plays.filter((p) => now.getTime() - Date.parse(p.startedAt) < 86_400_000)) {
      const id = randomUUID();
      items.push({ pk, sk: `play#${id}`, ...play, msPlayed: 200_000, timeKey: `play#${play.startedAt}#${id}` });
    }
    for (const trackId of [...counts.keys()].slice(0, LIKES)) {
      const likedAt = now.toISOString();
      items.push({ pk, sk: `like#${trackId}`, likedAt, timeKey: `like#${likedAt}#${trackId}` });
    }
    items.push({ pk: 'changed', sk: pk, changedAt: now.toISOString() });
  }
  for (const [key, plays] of days) {
    const [day, trackId] = key.split('|') as [string, string];
    items.push({ pk: `day#${day}`, sk: `track#${trackId}`, plays, expiresAt: dayCountExpiresAt(`${day}T00:00:00.000Z`) });
  }
  return items;
}

/** Asks every call for its consumed capacity and adds it up, reads and writes apart. */
function meterCapacity(client: DynamoDBClient) {
  const used = { read: 0, write: 0, calls: 0 };
  const writes = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Item).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum: number, c) => sum + ((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
      used.calls++;
      used[writes.test(context.commandName ?? '') ? 'write' : 'read'] += units;
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return used;
}

const dynamo = await startDynamoDb('127.0.0.1', 0);
try {
  const names = Object.fromEntries(tables.map((t) => [t.id, tableName('bench', t)])) as Record<(typeof tables)[number]['id'], string>;
  const seed = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.url });
  await ensureTables(seed.client, names);

  const now = new Date();
  const started = performance.now();
  const catalog = generateCatalog();
  await new DynamoCatalogRepository(seed.doc, names.tracks).saveTracks(catalog);
  console.log(`catalog of ${TRACKS} tracks saved in ${round((performance.now() - started) / 1000)} s`);
  const listening = generateListening(catalog, now);
  // DynamoDB Local answers slower than the client waits (3 s) when more batches are in flight.
  const limit = pLimit(4);
  const chunk = 500;
  await Promise.all(
    Array.from({ length: Math.ceil(listening.length / chunk) }, (_, i) =>
      limit(() => batchPutAll(seed.doc, names.listening, listening.slice(i * chunk, (i + 1) * chunk))),
    ),
  );
  console.log(
    `seeded ${TRACKS} tracks and ${LISTENERS} listeners (${listening.length} listening items) in ${round((performance.now() - started) / 1000)} s`,
  );

  const job = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.url });
  const used = meterCapacity(job.client);
  const deadline = Date.now() + TIMEOUT_MS;
  const cpuBefore = process.cpuUsage();
  const run = await runHomeFeedJob(dynamoHomeFeedJobDeps(job.doc, names, new DynamoCatalogRepository(job.doc, names.tracks)), {
    remainingMs: () => deadline - Date.now(),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const seconds = run.durationMs / 1000;
  const lambdaCost = seconds * MEMORY_GB * PRICES.lambdaGbSecond + PRICES.lambdaRequest;
  const dynamoCost = used.read * PRICES.readUnit + used.write * PRICES.writeUnit;
  const dollars = (value: number) => `$${value.toFixed(4)}`;

  console.log(`\n${machineNote()}; DynamoDB Local in memory, on the same machine\n`);
  console.log(
    markdownTable(
      ['figure', 'value'],
      [
        ['catalog / listeners marked changed', `${TRACKS} tracks / ${LISTENERS} listeners, ${PLAYS} plays and ${LIKES} likes each`],
        ['listeners rebuilt / left for the next run', `${run.listenersRebuilt} / ${run.listenersLeft} (failed ${run.listenersFailed})`],
        ['run time (DynamoDB Local)', `${round(seconds)} s`],
        ['listeners per second', round(run.listenersRebuilt / seconds)],
        ['CPU time of the job (this process)', `${round(cpuSeconds)} s`],
        ['DynamoDB calls', String(used.calls)],
        ['read request units', round(used.read)],
        ['write request units', round(used.write)],
        [`Lambda (${MEMORY_GB * 1024} MB arm64, ${round(seconds)} s)`, dollars(lambdaCost)],
        ['DynamoDB on-demand (reads + writes)', dollars(dynamoCost)],
        ['cost per run', dollars(lambdaCost + dynamoCost)],
        ['cost per month (8 runs a day, all listeners changed every time)', `$${((lambdaCost + dynamoCost) * 8 * 30).toFixed(2)}`],
      ],
    ),
  );
  console.log(
    '\nPrices: us-east-1, 2025 — Lambda arm64 $0.0000133334 per GB-s and $0.20 per million requests; DynamoDB on-demand (Standard) ' +
      '$0.125 per million read and $0.625 per million write request units. DynamoDB Local is slower than DynamoDB, and the job ' +
      'shared this machine with it; a 1,024 MB Lambda has ~0.58 vCPU.',
  );
  job.doc.destroy();
  seed.doc.destroy();
} finally {
  await dynamo.stop();
}
