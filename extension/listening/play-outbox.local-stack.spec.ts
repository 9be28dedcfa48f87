// @vitest-environment node
// Node's own fetch and Web Locks: happy-dom's fetch applies a page's CORS rules and has no `navigator.locks`.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_PLAYS_PER_REQUEST, type HistoryItem } from '@@/shared/api';
import { makeTrack } from '@@/test/extension/factories';
import { ApiClient as PlainClient, catalogTrackIds, signUp } from '@@/test/support/api-client';
import { startFreshStack, type FreshStack } from '@@/test/support/local-stack';
import { sharedDynamoDb } from '@@/test/support/shared-dynamodb';
import { createApiClient } from '@/api/api-client';
import { createListeningService } from '@/api/listening-service';
import { writeSession } from '@/api/session-storage';
import { createPlayOutbox } from './play-outbox';
import type { RecordedPlay } from './recorded-play';

/**
 * The play outbox against the whole local stack (auth server → gateway → listening handler →
 * DynamoDB Local), through a proxy that can be down (no connection) or lose answers (the request
 * reaches the gateway, the answer never comes back). Whatever happens on the way, each play ends
 * up in the history exactly once.
 */
const LOCAL_STACK_TEST_TIMEOUT_MS = 60_000;

describe('play outbox against the local stack', () => {
  let fresh: FreshStack;
  let proxy: FlakyProxy;
  let trackIds: string[];
  let account: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    fresh = await startFreshStack('extension-plays', sharedDynamoDb('extension-plays'));
    account = await signUp(fresh.stack.auth, 'plays');
    trackIds = (await catalogTrackIds(new PlainClient(fresh.stack.api, account.accessToken))).slice(0, 3);
    proxy = await flakyProxy(fresh.stack.api);
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    await fresh?.stop();
  }, 60_000);
  beforeEach(async () => {
    fakeBrowser.reset();
    proxy.mode = 'pass';
    const user = { id: account.userId, email: account.email, name: 'plays' };
    await writeSession({ accessToken: account.accessToken, refreshToken: account.refreshToken, expiresAt: Date.now() + 600_000, user });
  });

  const service = () => createListeningService(createApiClient({ authUrl: fresh.stack.auth, apiUrl: proxy.url }));
  // A month ago: the server refuses plays more than a year old, so a fixed date would age out.
  let at = Date.now() - 30 * 24 * 60 * 60_000;
  const play = (trackId: string): RecordedPlay => {
    at += 5 * 60_000;
    return {
      id: crypto.randomUUID(),
      trackId,
      startedAt: new Date(at).toISOString(),
      msPlayed: 200_000,
      userId: account.userId,
      track: makeTrack({ id: trackId }),
    };
  };
  async function history(): Promise<HistoryItem[]> {
    const items: HistoryItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await service().getHistory(cursor, 200);
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return items;
  }

  it(
    'sends plays heard offline once the server is back, in batches, each once though an answer got lost',
    async () => {
      const retries: (number | undefined)[] = [];
      const outbox = createPlayOutbox({
        postPlays: (plays) => service().postPlays(plays),
        retryAt: async (when) => void retries.push(when),
      });
      await outbox.send();

      proxy.mode = 'down';
      const plays = Array.from({ length: MAX_PLAYS_PER_REQUEST + 5 }, (_, i) => play(trackIds[i % trackIds.length]!));
      // A track removed from the catalog since it was heard: skipped by the server, never in the way.
      plays.push(play('tr_000000000000000000000000'));
      for (const p of plays) await outbox.add(p);
      await outbox.settled();
      expect((await outbox.state()).plays).toHaveLength(plays.length);
      expect(retries.at(-1)).toEqual(expect.any(Number));

      proxy.mode = 'lose';
      await outbox.send();
      expect(proxy.lost).toEqual(['POST /me/plays']);
      expect((await outbox.state()).plays).toHaveLength(plays.length);

      proxy.mode = 'pass';
      await outbox.send();
      expect(await outbox.state()).toMatchObject({ plays: [], failures: 0 });
      expect(retries.at(-1)).toBeUndefined();

      const heard = plays.slice(0, -1);
      const items = await history();
      expect(items.map((item) => item.id).sort()).toEqual(heard.map((p) => p.id).sort());
      expect(items[0]).toMatchObject({ id: heard.at(-1)!.id, trackId: heard.at(-1)!.trackId, msPlayed: 200_000 });
    },
    LOCAL_STACK_TEST_TIMEOUT_MS,
  );
});

interface FlakyProxy {
  url: string;
  /** `pass` forwards; `down` refuses every request as an unreachable server would; `lose` forwards and drops the answer. */
  mode: 'pass' | 'down' | 'lose';
  /** `METHOD /path` of each request whose answer was thrown away. */
  lost: string[];
  close(): Promise<void>;
}

async function flakyProxy(target: string): Promise<FlakyProxy> {
  const proxy: FlakyProxy = { url: '', mode: 'pass', lost: [], close: async () => {} };
  const server = createServer((req, res) => {
    if (proxy.mode === 'down') return void req.socket.destroy();
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      if (proxy.mode === 'lose') {
        proxy.lost.push(`${req.method} ${req.url}`);
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
