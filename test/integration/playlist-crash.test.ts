/*
 * The crash drill: writers add, move and remove playlist entries concurrently; the application
 * processes (auth server, gateway and handlers, which stand for Lambdas dying mid-request) are
 * killed with SIGKILL mid-burst; DynamoDB Local is stopped normally (DynamoDB itself is durable,
 * while DynamoDB Local killed outright may drop its last acknowledged writes); then everything
 * is started again on the same data, the writes that got no answer are retried as a client
 * retries them, and every playlist is checked against what the writers were told: every
 * acknowledged add and remove holds, counts match the listed entries, no entry is listed twice,
 * every acknowledged move that no other write may have disturbed left its entry right before its
 * anchor (or last), no request was ever answered 500, and every listed entry can be moved and
 * deleted.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, catalogTrackIds, expectStatus, signUp, type Account } from '../support/api-client';
import { MAX_ENTRIES_PER_ADD } from '../../backend/domain/playlists';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../backend/local/dynamodb-local';
import { startApplicationProcess, type ApplicationProcess } from '../support/application-process';
import { auditPlaylists, figuresTable, type PlaylistFigures } from '../support/playlist-audit';
import {
  addWrite,
  createPlaylist,
  deliver,
  expectedRefusal,
  Ledger,
  runWriter,
  retryUnsettled,
  type KnownPlaylist,
} from '../support/playlist-writers';
import { seededRandom } from '../support/random';

const PLAYLISTS = 8;
const WRITERS = 12;
const ENTRIES_BEFORE_BURST = 10;
/** The kill comes this long into the burst (at random in between), once enough writes were acknowledged. */
const KILL_WINDOW_MS = [2_000, 6_000] as const;
const MIN_ACKNOWLEDGED = 30;
const namePrefix = 'crash';
const host = '127.0.0.1';

/** Resolves once `condition()` holds, checking every few milliseconds; fails after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function signIn(authUrl: string, account: Account): Promise<string> {
  const response = await new ApiClient(authUrl).post<{ accessToken: string }>('/auth/login', {
    email: account.email,
    password: account.password,
  });
  return expectStatus(response, 200, 'sign in after the restart').accessToken;
}

/** Elapsed time since the drill began, logged as it goes, so a slow or stuck run shows where it was. */
function timeline() {
  const start = performance.now();
  return (step: string) => console.log(`[crash drill ${((performance.now() - start) / 1000).toFixed(1)} s] ${step}`);
}

describe('playlist writes through a crash of the application', () => {
  const seed = Date.now() % 2 ** 31;
  const random = seededRandom(seed);
  const mark = timeline();
  const ledger = new Ledger();
  const playlists: KnownPlaylist[] = [];
  let folder: string;
  let dynamo: RunningDynamoDbLocal | undefined;
  let app: ApplicationProcess | undefined;
  let account: Account;
  let trackIds: string[];

  const dirs = () => ({ dynamodb: join(folder, 'dynamodb'), app: join(folder, 'app') });
  /** DynamoDB Local on the drill's data, then the application processes against it. */
  async function start(): Promise<ApiClient> {
    dynamo = await startDynamoDbLocal({ host, port: 0, dir: dirs().dynamodb });
    app = await startApplicationProcess({ dataDir: dirs().app, dynamodbUrl: dynamo.url, namePrefix });
    return new ApiClient(app.info.api);
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'alktunes-crash-'));
    await mkdir(dirs().dynamodb);
    const anonymous = await start();
    account = await signUp(app!.info.auth, 'crash');
    const api = anonymous.as(account.accessToken);
    trackIds = await catalogTrackIds(api);
    for (let i = 0; i < PLAYLISTS; i++) playlists.push(await createPlaylist(api, ledger, `Crash ${i + 1}`));
    const pickTrack = () => trackIds[Math.floor(random() * trackIds.length)] as string;
    for (const playlist of playlists) {
      const write = await deliver(api, addWrite(ledger, playlist, Array.from({ length: ENTRIES_BEFORE_BURST }, pickTrack)), () => true);
      if (write.outcome !== 'acknowledged') throw new Error(`seeding a playlist: ${write.status} ${JSON.stringify(write.error)}`);
      playlist.live.push(...(write.added ?? []));
    }
    mark(`started, ${PLAYLISTS} playlists of ${ENTRIES_BEFORE_BURST} entries (seed ${seed})`);
  }, 240_000);

  afterAll(async () => {
    // Killed: its data is deleted anyway, and a normal stop could wait on a failed run's requests.
    try {
      await app?.kill();
    } finally {
      try {
        await dynamo?.stop();
      } finally {
        if (folder) await rm(folder, { recursive: true, force: true });
      }
    }
  });

  it('keeps every acknowledged write, counts that match the entries and no duplicates', async () => {
    let api = new ApiClient(app!.info.api, account.accessToken);

    // The kill comes at a random moment of the burst: preferably while a full add (more than one
    // transaction) has been under way for a random few milliseconds, so it is cut between chunks.
    let stopped = false;
    const burstStart = performance.now();
    const writers = Array.from({ length: WRITERS }, (_, i) =>
      runWriter({ api, ledger, playlists, trackIds, random: seededRandom(seed + i + 1), stopped: () => stopped }),
    );
    const killAt = KILL_WINDOW_MS[0] + random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]);
    const lagMs = random() * 150;
    const fullAddUnderWay = () =>
      ledger.writes.some(
        (w) => w.outcome === 'pending' && w.size === MAX_ENTRIES_PER_ADD && performance.now() - (w.sentAt ?? Infinity) >= lagMs,
      );
    try {
      await until(
        () => {
          const elapsed = performance.now() - burstStart;
          return elapsed >= killAt && ledger.count('acknowledged') >= MIN_ACKNOWLEDGED && (fullAddUnderWay() || elapsed >= killAt + 3_000);
        },
        60_000,
        `${MIN_ACKNOWLEDGED} acknowledged writes`,
      );
    } finally {
      // Also when the wait failed: the writers must not go on against the next test's cleanup.
      stopped = true;
    }
    const inFlight = ledger.writes.filter((w) => w.outcome === 'pending');
    await app!.kill();
    await Promise.all(writers);
    const acknowledged = (kind: string) => ledger.writes.filter((w) => w.kind === kind && w.outcome === 'acknowledged').length;
    mark(
      `killed ${Math.round(performance.now() - burstStart)} ms into the burst, ${inFlight.length} writes in flight ` +
        `(${inFlight.filter((w) => w.size === MAX_ENTRIES_PER_ADD).length} full adds); acknowledged until then: ` +
        `${acknowledged('add')} adds, ${acknowledged('move')} moves, ${acknowledged('remove')} removes; refused ${ledger.count('refused')}`,
    );

    // The same data again. The emulator stops normally, as DynamoDB keeps what it acknowledged;
    // `stop()` rejects if it had to be killed, which may lose its last acknowledged writes.
    await expect(dynamo!.stop(), 'DynamoDB Local ended on SIGTERM').resolves.toBeUndefined();
    const restarted = await start();
    api = restarted.as(await signIn(app!.info.auth, account));
    mark('restarted on the same data');
    const retried = await retryUnsettled(api, ledger);
    mark(
      `retried ${retried.length} writes: ${retried.filter((w) => w.outcome === 'acknowledged').length} acknowledged ` +
        `(${retried.filter((w) => w.replayed).length} replayed), ` +
        `${retried.filter((w) => w.outcome === 'refused').length} refused`,
    );
    const figures = await auditPlaylists(
      api,
      ledger,
      playlists.map((p) => p.id),
    );
    const total = (key: keyof Omit<PlaylistFigures, 'playlistId'>) => figures.reduce((sum, f) => sum + Math.abs(f[key]), 0);
    mark(
      `audited: ${figures.filter((f) => f.drift !== 0).length}/${figures.length} playlists drifted, total |drift| ${total('drift')}, ` +
        `max |drift| ${Math.max(...figures.map((f) => Math.abs(f.drift)))}, repeated ids ${total('repeated')}, lost ${total('lost')}, ` +
        `phantoms ${total('phantoms')}, moves checked ${total('movesChecked')}, misplaced ${total('misplaced')}\n${figuresTable(figures)}`,
    );

    // The drill exercised what it claims to: writes were cut off by the kill.
    expect(inFlight.length).toBeGreaterThan(0);
    expect(retried.length).toBeGreaterThan(0);
    // Every retried write got a final answer, and no answer was other than a client should expect.
    expect(ledger.unsettled().map((w) => `${w.method} ${w.path}: ${w.outcome} ${w.status ?? ''}`)).toEqual([]);
    const unexpected = ledger.writes.filter((w) => w.outcome === 'refused' && !expectedRefusal(w));
    expect(unexpected.map((w) => `${w.method} ${w.path}: ${w.status} ${JSON.stringify(w.error)}`)).toEqual([]);
    // Not even an attempt that a retry then got past was an internal error.
    const internalErrors = ledger.writes.filter((w) => w.attempts.includes(500));
    expect(internalErrors.map((w) => `${w.method} ${w.path}: ${w.attempts.join(', ')}`)).toEqual([]);
    for (const [i, f] of figures.entries()) {
      expect(f, `playlist #${i + 1}`).toMatchObject({
        drift: 0,
        repeated: 0,
        lost: 0,
        phantoms: 0,
        resurrected: 0,
        misplaced: 0,
        unmovable: 0,
        undeletable: 0,
        countAfterDrain: 0,
        listedAfterDrain: 0,
      });
    }
  }, 240_000);
});
