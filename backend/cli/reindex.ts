import { parseArgs } from 'node:util';
import { recountCatalog } from '../adapters/dynamodb/catalog-recount';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { createS3Client } from '../adapters/s3/client';
import { createIndexSync, rebuildIndex } from '../adapters/search/index-sync';
import { searchBackendConfig } from './import/search-index';
import { resolveTarget } from './import/target';

const usage = `Rebuilds the catalog search index from the tracks table.

  npm run reindex -- [--recount] [--stack-outputs <file>] [--region <region>] [--data-dir <dir>]

--recount first sets every album's and artist's track and album counts from the tracks and
removes the attributes the earlier count design left; run it once after upgrading from a
version before transactional catalog writes, while no import is running.

Target, as for the import: the deployment named by --stack-outputs (the file written by
cdk deploy --outputs-file; a CloudSearch domain's endpoints are looked up by its name), else
MEDIA_BUCKET + TRACKS_TABLE (with SEARCH_BACKEND and CLOUDSEARCH_DOMAIN for CloudSearch),
else the running local stack (ALKTUNES_DATA_DIR/stack.json, default .data/).`;

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** `reindex`: exit 0 with a summary, or 1 with a message saying what to fix. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'stack-outputs': { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      recount: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(usage);
    return 0;
  }
  const target = await resolveTarget({ stackOutputs: values['stack-outputs'], region: values.region, dataDir: values['data-dir'] }, env);
  const search = searchBackendConfig(target);
  const { doc } = createDynamoClients({ region: target.region, endpoint: target.endpoints.dynamodb });
  const s3 = createS3Client({ region: target.region, endpoint: target.endpoints.s3 });
  const catalog = new DynamoCatalogRepository(doc, target.tracksTable);
  const sync = createIndexSync({ search, region: target.region, s3, bucket: target.bucket, catalog });
  try {
    if (values.recount) {
      out(`recounting the albums and artists of ${target.description}…`);
      const started = performance.now();
      const recount = await recountCatalog(doc, target.tracksTable);
      out(
        `recounted ${recount.tracks} tracks on ${recount.albums} albums by ${recount.artists} artists in ${seconds(started)} s: ` +
          `${recount.corrected} albums and artists corrected, ${recount.created} created`,
      );
    }
    out(`reindexing ${target.description} into the ${search.backend} index…`);
    const started = performance.now();
    const result = await rebuildIndex(catalog, sync);
    out(`indexed ${result.trackCount} tracks in ${seconds(started)} s${result.version ? `; snapshot ${result.version} published` : ''}`);
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
