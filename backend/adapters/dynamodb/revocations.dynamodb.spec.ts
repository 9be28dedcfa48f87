import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from './low-level-client';
import { createDynamoRevocations, DynamoRevocationLookup } from './revocations.dynamodb';

// Revocations and the playlist erasure against DynamoDB Local: test/integration/revocations-dynamodb.test.ts.

const LIFETIME = 900;

describe('a DynamoDB that accepts connections but never answers', () => {
  let silent: Server;
  const held: Socket[] = [];
  let endpoint: string;

  beforeAll(async () => {
    silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  /** How long `call` took to fail; a call still pending after 15 s counts as hung. */
  async function secondsToFail(call: () => Promise<unknown>) {
    const started = performance.now();
    const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000).unref());
    const outcome = await Promise.race([
      call().then(
        () => 'answered',
        (error: unknown) => error,
      ),
      hung,
    ]);
    expect(outcome).toBeInstanceOf(Error);
    return (performance.now() - started) / 1000;
  }

  // Under the API functions' 10 s timeout, so they answer 503 themselves; the auth server's
  // logout, password change and deletion fail as quickly.
  it("fails the auth server's writes and the API's lookups within a few seconds", async () => {
    const writer = createDynamoRevocations({ table: 'silent', region: 'us-east-1', endpoint, tokenLifetimeSeconds: LIFETIME });
    const reader = new DynamoRevocationLookup(createDynamoClient({ region: 'us-east-1', endpoint }), 'silent');
    const [write, read] = await Promise.all([
      secondsToFail(() => writer.sessionsEnded('usr_s', ['ses_s'])),
      secondsToFail(() => reader.lookup('usr_s', 'ses_s')),
    ]);
    expect(write).toBeLessThan(8);
    expect(read).toBeLessThan(8);
  }, 20_000);
});
