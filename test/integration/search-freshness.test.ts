import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../../backend/adapters/dynamodb/catalog-repository.dynamodb';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import { generateCatalog } from '../support/search-catalog';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const run = promisify(execFile);

describe('search freshness across processes (local stack)', () => {
  let dataDir: string;
  let stack: LocalStack;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'alktunes-search-fresh-'));
    stack = await startLocalStack({ dataDir, ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 }, ...sharedDynamoDb('freshness') });
    const login = await fetch(`${stack.auth}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(stack.demo),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const search = async (q: string) => {
    const response = await fetch(`${stack.api}/search?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { tracks: { id: string; title: string }[]; artists: { name: string }[]; didYouMean?: string };
  };

  it('finds the demo catalog through the gateway', async () => {
    const demo = await fetch(`${stack.api}/albums?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const [album] = ((await demo.json()) as { items: { name: string }[] }).items;
    const found = await search(album!.name);
    expect(found.tracks.length).toBeGreaterThan(0);
  });

  it('serves a snapshot published by another process (reindex) within a few seconds', async () => {
    const { doc } = createDynamoClients({ region: stack.region, endpoint: stack.dynamodb });
    const catalog = new DynamoCatalogRepository(doc, stack.tables.tracks);
    const [newTrack] = generateCatalog(1, 77).filter((t) => t.artist === 'Beyoncé');
    await catalog.saveTrack({ ...newTrack!, title: 'Zyzzogeton Lullaby' });
    doc.destroy();
    expect((await search('zyzzogeton')).tracks).toEqual([]);

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'backend/cli/reindex.ts'], {
      env: { ...process.env, ALKTUNES_DATA_DIR: dataDir, TRACKS_TABLE: '' },
    });
    expect(stdout).toMatch(/indexed \d+ tracks .* snapshot \S+ published/);

    const published = Date.now();
    let titles: string[] = [];
    while (Date.now() - published < 6000) {
      titles = (await search('zyzzogeton')).tracks.map((t) => t.title);
      if (titles.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(titles).toEqual(['Zyzzogeton Lullaby']);
    expect(Date.now() - published).toBeLessThan(5000);

    // The published index forgives a slip, and says how the catalog spells it.
    const slipped = await search('Zyzzoegton Lullaby');
    expect(slipped.tracks.map((t) => t.title)).toEqual(['Zyzzogeton Lullaby']);
    expect(slipped.didYouMean).toBe('Zyzzogeton Lullaby');
  });
});
