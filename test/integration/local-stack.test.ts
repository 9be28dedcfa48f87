import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';

const freePorts = { auth: 0, api: 0, s3: 0, dynamodb: 0 };

async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get('content-type')).toMatch(/json/);
  return (await response.json()) as T;
}

async function signIn(stack: LocalStack): Promise<string> {
  const response = await fetch(`${stack.auth}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stack.demo),
  });
  expect(response.status).toBe(200);
  return (await json<{ accessToken: string }>(response)).accessToken;
}

describe('local stack', () => {
  let dataDir: string;
  let stack: LocalStack;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alktunes-stack-'));
    stack = await startLocalStack({ dataDir, ports: freePorts });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /health on every service, and DynamoDB Local lists the tables', async () => {
    for (const url of [stack.auth, stack.api, stack.s3]) {
      expect((await fetch(`${url}/health`)).status, url).toBe(200);
    }
    // DynamoDB Local has no health route; a signed ListTables is the honest check.
    const { client } = createDynamoClients({ region: stack.region, endpoint: stack.dynamodb });
    const { TableNames } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(stack.tables)));
  });

  it('writes the address book', async () => {
    const info = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
    expect(info).toMatchObject({ auth: stack.auth, api: stack.api, s3: stack.s3, dynamodb: stack.dynamodb, demo: stack.demo });
  });

  it('refuses API calls without a valid token, like the API Gateway authorizer', async () => {
    expect((await fetch(`${stack.api}/albums`)).status).toBe(401);
    expect((await fetch(`${stack.api}/albums`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('signs in the demo account and lists the demo catalog through the gateway', async () => {
    const token = await signIn(stack);
    const headers = { authorization: `Bearer ${token}` };
    const albums = await json<{ items: { id: string; name: string }[] }>(await fetch(`${stack.api}/albums?limit=50`, { headers }));
    expect(albums.items.length).toBeGreaterThanOrEqual(5);

    const tracks: { id: string; durationMs: number; artist: string }[] = [];
    for (const album of albums.items) {
      const detail = await json<{ tracks: typeof tracks }>(await fetch(`${stack.api}/albums/${album.id}`, { headers }));
      tracks.push(...detail.tracks);
    }
    expect(tracks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(tracks.map((t) => t.artist)).size).toBeGreaterThanOrEqual(3);
    for (const track of tracks) {
      expect(track.durationMs).toBeGreaterThanOrEqual(30_000);
      expect(track.durationMs).toBeLessThanOrEqual(90_000);
    }

    const stream = await json<{ url: string; expiresAt: string }>(await fetch(`${stack.api}/tracks/${tracks[0]!.id}/stream`, { headers }));
    const audio = await fetch(stream.url, { headers: { range: 'bytes=0-11' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString('latin1', 0, 4)).toBe('RIFF');

    const home = await json<{ tracks: unknown[] }>(await fetch(`${stack.api}/home`, { headers }));
    expect(home.tracks.length).toBeGreaterThan(0);
  });

  it('keeps users, playlists and audio across a restart', async () => {
    let token = await signIn(stack);
    const created = await fetch(`${stack.api}/playlists`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survives restarts' }),
    });
    expect(created.status).toBe(201);
    const playlist = await json<{ id: string }>(created);

    await stack.stop();
    stack = await startLocalStack({ dataDir, ports: freePorts });

    token = await signIn(stack);
    const headers = { authorization: `Bearer ${token}` };
    const list = await json<{ items: { id: string; name: string }[] }>(await fetch(`${stack.api}/playlists`, { headers }));
    expect(list.items).toContainEqual(expect.objectContaining({ id: playlist.id, name: 'Survives restarts' }));
    const albums = await json<{ items: { id: string }[] }>(await fetch(`${stack.api}/albums`, { headers }));
    const detail = await json<{ tracks: { id: string }[] }>(await fetch(`${stack.api}/albums/${albums.items[0]!.id}`, { headers }));
    const stream = await json<{ url: string }>(await fetch(`${stack.api}/tracks/${detail.tracks[0]!.id}/stream`, { headers }));
    expect((await fetch(stream.url)).status).toBe(200);
  });
});
