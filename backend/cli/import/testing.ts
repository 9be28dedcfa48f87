/** A fresh, empty import target on local emulators, for the import suites and benchmark. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createDynamoClients } from '../../adapters/dynamodb/client';
import { ensureTables } from '../../adapters/dynamodb/create-tables';
import { createS3Client, ensureBucket } from '../../adapters/s3/client';
import { startDynamoDb, startS3 } from '../../local/emulators';
import { depsFor } from './main';
import type { ImportTarget } from './target';

/** A DynamoDB already running (a test run's shared one) and the prefix of this target's tables and bucket. */
export interface SharedDynamoDbOption {
  dynamodbUrl: string;
  namePrefix: string;
}

/**
 * Starts an s3rver under `dir` and, unless `shared` names one to use, an in-memory DynamoDB Local;
 * `stop()` stops only what this call started.
 */
export async function startImportTarget(dir: string, shared?: SharedDynamoDbOption) {
  const [dynamodb, s3] = await Promise.all([
    shared ? { url: shared.dynamodbUrl, stop: async () => {} } : startDynamoDb('127.0.0.1', 0),
    startS3('127.0.0.1', 0, join(dir, 's3')),
  ]);
  const prefix = shared?.namePrefix ?? 'import';
  const target: ImportTarget = {
    description: 'test emulators',
    region: 'us-east-1',
    bucket: `${prefix}-media`,
    tracksTable: `${prefix}-tracks`,
    endpoints: { s3: s3.url, dynamodb: dynamodb.url },
    search: { backend: 'embedded' },
  };
  const clients = createDynamoClients({ region: target.region, endpoint: dynamodb.url });
  const s3Client = createS3Client({ region: target.region, endpoint: s3.url });
  const homeTable = `${prefix}-home`;
  await ensureTables(clients.client, {
    playlists: `${prefix}-playlists`,
    tracks: target.tracksTable,
    home: homeTable,
    revocations: `${prefix}-revocations`,
    listening: `${prefix}-listening`,
  });
  await ensureBucket(s3Client, target.bucket);
  return {
    target,
    s3: s3Client,
    doc: clients.doc,
    homeTable,
    deps: depsFor(target),
    /** Writes the `stack.json` a running local stack would, so the command finds these emulators. */
    writeStackJson: async (dataDir: string) => {
      await mkdir(dataDir, { recursive: true });
      const tables = { tracks: target.tracksTable, home: homeTable };
      const info = { s3: s3.url, dynamodb: dynamodb.url, region: target.region, bucket: target.bucket, tables };
      await writeFile(join(dataDir, 'stack.json'), JSON.stringify(info));
    },
    stop: async () => {
      clients.client.destroy();
      s3Client.destroy();
      await Promise.all([dynamodb.stop(), s3.stop()]);
    },
  };
}

/** Writes `files` (paths relative to `root`, `/`-separated) and returns `root`. */
export async function writeLibrary(root: string, files: Record<string, Uint8Array | string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}
