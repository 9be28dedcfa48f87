import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { createS3Client } from '../adapters/s3/client';
import { createIndexSync, rebuildIndex } from '../adapters/search/index-sync';
import type { SearchBackendConfig } from '../adapters/search/track-search';

const usage = `Rebuilds the catalog search index from the tracks table.

  npx tsx backend/cli/reindex.ts

Local stack (default): reads the address book ALKTUNES_DATA_DIR/stack.json (default .data/).
AWS: set TRACKS_TABLE and MEDIA_BUCKET (and AWS_REGION); for CloudSearch also
SEARCH_BACKEND=cloudsearch and CLOUDSEARCH_ENDPOINT (CLOUDSEARCH_DOCUMENT_ENDPOINT if the
document endpoint is not the search endpoint with search- replaced by doc-).`;

interface Target {
  region: string;
  table: string;
  bucket: string;
  endpoints: { dynamodb?: string; s3?: string };
  search: SearchBackendConfig;
  where: string;
}

async function targetFrom(env: NodeJS.ProcessEnv): Promise<Target> {
  if (env.TRACKS_TABLE) {
    if (!env.MEDIA_BUCKET) throw new Error('MEDIA_BUCKET is not set (the bucket that holds the embedded index)');
    const backend = env.SEARCH_BACKEND ?? 'embedded';
    if (backend !== 'embedded' && backend !== 'cloudsearch') throw new Error(`SEARCH_BACKEND must be embedded or cloudsearch, got "${backend}"`);
    if (backend === 'cloudsearch' && !env.CLOUDSEARCH_ENDPOINT) throw new Error('CLOUDSEARCH_ENDPOINT is not set (required with SEARCH_BACKEND=cloudsearch)');
    return {
      region: env.AWS_REGION ?? 'us-east-1',
      table: env.TRACKS_TABLE,
      bucket: env.MEDIA_BUCKET,
      endpoints: { dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB || undefined, s3: env.AWS_ENDPOINT_URL_S3 || undefined },
      search:
        backend === 'cloudsearch'
          ? { backend, endpoint: env.CLOUDSEARCH_ENDPOINT!, documentEndpoint: env.CLOUDSEARCH_DOCUMENT_ENDPOINT || undefined }
          : { backend: 'embedded' },
      where: `table ${env.TRACKS_TABLE}`,
    };
  }
  const file = join(resolve(env.ALKTUNES_DATA_DIR || '.data'), 'stack.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`no local stack address book at ${file}: start the stack with \`npm start\`, or set TRACKS_TABLE and MEDIA_BUCKET for AWS`);
  }
  const stack = JSON.parse(text) as { region: string; tables: { tracks: string }; bucket: string; dynamodb: string; s3: string };
  return {
    region: stack.region,
    table: stack.tables.tracks,
    bucket: stack.bucket,
    endpoints: { dynamodb: stack.dynamodb, s3: stack.s3 },
    search: { backend: 'embedded' },
    where: `the local stack (${file})`,
  };
}

/** `reindex`: exit 0 with a summary, or 1 with a message saying what to fix. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(usage);
    return 0;
  }
  const target = await targetFrom(env);
  const { doc } = createDynamoClients({ region: target.region, endpoint: target.endpoints.dynamodb });
  const s3 = createS3Client({ region: target.region, endpoint: target.endpoints.s3 });
  const catalog = new DynamoCatalogRepository(doc, target.table);
  const sync = createIndexSync({ search: target.search, region: target.region, s3, bucket: target.bucket, catalog });
  try {
    out(`reindexing ${target.where} into the ${target.search.backend} index…`);
    const started = performance.now();
    const result = await rebuildIndex(catalog, sync);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out(`indexed ${result.trackCount} tracks in ${seconds} s${result.version ? `; snapshot ${result.version} published` : ''}`);
    return 0;
  } finally {
    sync.close();
    doc.destroy();
    s3.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`reindex failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
