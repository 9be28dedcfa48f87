// @vitest-environment node
// Node's own fetch and Web Locks: happy-dom's fetch applies a page's CORS rules and has no `navigator.locks`.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApiClient as PlainClient, catalogTrackIds, signUp } from '@@/test/support/api-client';
import { startFreshStack, type FreshStack } from '@@/test/support/local-stack';
import { sharedDynamoDb } from '@@/test/support/shared-dynamodb';
import { createApiClient } from './api-client';
import { createPlaylistsService } from './playlists-service';
import { writeSession } from './session-storage';

/**
 * The extension's playlists service against the whole local stack (auth server → gateway →
 * handlers → DynamoDB Local) through a proxy that lets the first create and the first add reach
 * the gateway and then cuts the connection instead of answering: the service sends each again
 * with the same Idempotency-Key, and the server does each once.
 *
 * It lives beside the extension code for WXT's fake browser (the client keeps its session in
 * `storage.local`), and runs with the integration tests (see vitest.config.ts), on the run's
 * shared DynamoDB Local.
 */
/** Requests through the local stack on a loaded 2-CPU machine, retry waits included: far over the 5 s default. */
const LOCAL_STACK_TEST_TIMEOUT_MS = 60_000;

describe('playlist writes whose answers get lost, against the local stack', () => {
  let fresh: FreshStack;
  let proxy: LossyProxy;
  let trackIds: string[];
  let account: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    fresh = await startFreshStack('extension-retries', sharedDynamoDb('extension-retries'));
    account = await signUp(fresh.stack.auth, 'retries');
    trackIds = (await catalogTrackIds(new PlainClient(fresh.stack.api, account.accessToken))).slice(0, 5);
    proxy = await lossyProxy(fresh.stack.api, (req) => req.method === 'POST' && /^\/playlists(\/[^/]+\/entries)?$/.test(req.url!));
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    await fresh?.stop();
  }, 60_000);
  beforeEach(async () => {
    fakeBrowser.reset();
    const user = { id: account.userId, email: account.email, name: 'retries' };
    await writeSession({ accessToken: account.accessToken, refreshToken: account.refreshToken, expiresAt: Date.now() + 600_000, user });
  });

  it(
    'creates the playlist and adds the tracks once each',
    async () => {
      const service = createPlaylistsService(createApiClient({ authUrl: fresh.stack.auth, apiUrl: proxy.url }));

      const playlist = await service.create('Lost answers');
      const added = await service.addTracks(playlist.id, trackIds);

      expect(proxy.dropped).toEqual(['POST /playlists', `POST /playlists/${playlist.id}/entries`]);
      expect(added.map((e) => e.trackId)).toEqual(trackIds);
      expect((await service.list()).filter((p) => p.name === 'Lost answers')).toHaveLength(1);
      const entries = await service.entries(playlist.id);
      expect(entries.map((e) => e.trackId)).toEqual(trackIds);
      expect(new Set(entries.map((e) => e.id)).size).toBe(trackIds.length);
      expect((await service.get(playlist.id)).entryCount).toBe(trackIds.length);
    },
    LOCAL_STACK_TEST_TIMEOUT_MS,
  );
});

interface LossyProxy {
  url: string;
  /** `METHOD /path` of each request whose answer was thrown away. */
  dropped: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy to `target` that passes a request matching `lose` on, waits for the whole answer,
 * and then closes the client's connection without it — once per distinct `METHOD /path`.
 */
async function lossyProxy(target: string, lose: (req: IncomingMessage) => boolean): Promise<LossyProxy> {
  const dropped: string[] = [];
  const server = createServer((req, res) => {
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      const what = `${req.method} ${req.url}`;
      if (lose(req) && !dropped.includes(what)) {
        dropped.push(what);
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
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
