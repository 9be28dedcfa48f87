import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadApiConfig } from '../api/config';
import { createApiFunctions } from '../api/functions';
import { createShuffleFunction } from '../api/home/shuffle-function';
import { apiRoutes } from '../api/routes';
import type { ApiHandler, FunctionName, ScheduleEvent } from '../api/types';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { ensureTables } from '../adapters/dynamodb/create-tables';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { tableName, tables } from '../adapters/dynamodb/tables';
import { createS3Client, ensureBucket } from '../adapters/s3/client';
import { S3MediaStore } from '../adapters/s3/media-store.s3';
import { createIndexSync, rebuildIndex } from '../adapters/search/index-sync';
import { startAuthServer } from '../auth/server';
import { apiAudience, defaultPorts, localPrefix, localRegion, type ServiceName } from './config';
import { ensureDemoAccount, seedDemoCatalog, type DemoAccount } from './demo/seed';
import { emulatorDirs, startDynamoDb, startS3 } from './emulators';
import { createGateway } from './gateway';
import { createJwtAuthorizer } from './jwt-authorizer';
import { closeServer, listen } from './net';
import { shufflePeriodMs, startSchedule } from './schedule';

export interface LocalStackOptions {
  dataDir: string;
  host?: string;
  /** Ports per service; 0 picks a free port. Defaults to the documented fixed ports. */
  ports?: Partial<Record<ServiceName, number>>;
  /** `sqlite:<file>` or `mysql://…`; defaults to a SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** Build the extension against this stack's URLs (into `dataDir/extension`). */
  buildExtension?: boolean;
  /** One line per event, for a terminal or a log file. */
  log?: (line: string) => void;
  /** Structured request logs of the servers; dropped by default. */
  requestLog?: (entry: Record<string, unknown>) => void;
  /** Handlers the gateway invokes instead of the ones built from source (e.g. the deployed bundles). */
  functions?: Record<FunctionName, ApiHandler>;
}

/** The address book written to `dataDir/stack.json` (API.md). */
export interface StackInfo {
  auth: string;
  api: string;
  s3: string;
  dynamodb: string;
  region: string;
  bucket: string;
  tables: Record<'playlists' | 'tracks' | 'home', string>;
  demo: Pick<DemoAccount, 'email' | 'password'>;
  extension: { chrome?: string };
}

/** The services a running stack can restart on their own (fault tests, outage drills). */
export type RestartableService = 'auth' | 'dynamodb';

export interface LocalStack extends StackInfo {
  /** Runs the shuffle now (as the schedule would). */
  shuffle(): Promise<unknown>;
  /**
   * Stops one service, runs `whileDown` (if given) while it is unreachable, then starts it again
   * on the same port with the same data; everything else keeps running.
   */
  restart(service: RestartableService, whileDown?: () => Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Boots everything Alktunes needs on one machine, in dependency order, and returns the
 * running stack. If a step fails, whatever already started is stopped again.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const ports = { ...defaultPorts, ...options.ports };
  const log = options.log ?? (() => {});
  const requestLog = options.requestLog ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`  stop failed: ${String(error)}`));
  };

  try {
    await mkdir(options.dataDir, { recursive: true });
    const dirs = emulatorDirs(options.dataDir);

    let dynamodb = await startDynamoDb(host, ports.dynamodb, dirs.dynamodb);
    stops.push(() => dynamodb.stop());
    log(`✓ dynamodb  ${dynamodb.url}  (dynalite, data in ${dirs.dynamodb})`);

    const s3 = await startS3(host, ports.s3, dirs.s3);
    stops.push(s3.stop);
    log(`✓ s3        ${s3.url}  (s3rver, data in ${dirs.s3})`);

    const names = Object.fromEntries(tables.map((t) => [t.id, tableName(localPrefix, t)])) as StackInfo['tables'];
    const bucket = `${localPrefix}-media`;
    const apiConfig = loadApiConfig({
      AWS_REGION: localRegion,
      PLAYLISTS_TABLE: names.playlists,
      TRACKS_TABLE: names.tracks,
      HOME_TABLE: names.home,
      MEDIA_BUCKET: bucket,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ENDPOINT_URL_S3: s3.url,
    });
    const dynamoClients = createDynamoClients({ region: localRegion, endpoint: dynamodb.url });
    const s3Client = createS3Client({ region: localRegion, endpoint: s3.url });
    await ensureTables(dynamoClients.client, names);
    await ensureBucket(s3Client, bucket);

    const authOptions = {
      host,
      port: ports.auth,
      audience: apiAudience,
      databaseUrl: options.databaseUrl ?? `sqlite:${join(options.dataDir, 'auth.sqlite')}`,
      keysFile: join(options.dataDir, 'auth-keys.json'),
      log: requestLog,
    };
    let auth = await startAuthServer(authOptions);
    stops.push(() => auth.close());
    log(`✓ auth      ${auth.url}  (${options.databaseUrl?.startsWith('mysql') ? 'MySQL' : 'SQLite'})`);

    const gateway = createGateway({
      routes: apiRoutes,
      functions: options.functions ?? createApiFunctions(apiConfig),
      authorizer: createJwtAuthorizer({ issuer: auth.issuer, audience: apiAudience }),
      health: async () => {
        for (const url of [dynamodb.url, s3.url]) {
          const response = await fetch(`${url}/health`);
          if (!response.ok) throw new Error(`${url} is unhealthy`);
        }
      },
      log: requestLog,
    });
    await listen(gateway, ports.api, host, 'api');
    stops.push(() => closeServer(gateway));
    const apiUrl = `http://${host}:${(gateway.address() as { port: number }).port}`;
    log(`✓ api       ${apiUrl}  (local API Gateway → Lambda handlers, JWT authorizer)`);

    const catalog = new DynamoCatalogRepository(dynamoClients.doc, names.tracks);
    const searchIndex = createIndexSync({ search: apiConfig.search, region: localRegion, s3: s3Client, bucket, catalog });
    const seeded = await seedDemoCatalog({
      catalog,
      media: new S3MediaStore(s3Client, bucket),
      markerFile: join(options.dataDir, 'demo-seed.json'),
      log,
      index: searchIndex,
    });
    log(`✓ catalog   ${seeded.trackCount} demo tracks${seeded.created ? ' generated' : ''}`);
    // A data directory from before search existed has tracks but no index yet.
    if (!(await searchIndex.hasIndex())) await rebuildIndex(catalog, searchIndex);
    searchIndex.close(); // the writer's copy of the index is not needed once published
    log(`✓ search    ${apiConfig.search.backend} index (snapshot polled every 2 s by the search function)`);
    const demo = await ensureDemoAccount(auth.url, join(options.dataDir, 'demo-account.json'));

    const shuffleHandler = createShuffleFunction(apiConfig);
    const shuffle = () => shuffleHandler(scheduledEvent());
    const schedule = startSchedule(shuffle, shufflePeriodMs, (error) => log(`  shuffle failed: ${String(error)}`));
    stops.push(schedule.stop);
    await schedule.firstRun;
    log('✓ shuffle   home feed built; next run in 3 hours');

    const extension: StackInfo['extension'] = {};
    if (options.buildExtension) {
      const { buildExtension } = await import('../../wxt.build');
      extension.chrome = await buildExtension({
        authUrl: auth.url,
        apiUrl,
        mediaUrl: s3.url,
        outDir: join(options.dataDir, 'extension'),
      });
      log(`✓ extension ${extension.chrome}`);
    }

    const info: StackInfo = {
      auth: auth.url,
      api: apiUrl,
      s3: s3.url,
      dynamodb: dynamodb.url,
      region: localRegion,
      bucket,
      tables: names,
      demo: { email: demo.email, password: demo.password },
      extension,
    };
    await writeFile(join(options.dataDir, 'stack.json'), JSON.stringify(info, null, 2));
    const restart = async (service: RestartableService, whileDown?: () => Promise<unknown>) => {
      // The same port (the gateway, the authorizer and the SDK clients keep their URLs) and data.
      const port = Number(new URL(service === 'auth' ? auth.url : dynamodb.url).port);
      if (service === 'auth') await auth.close();
      else await dynamodb.stop();
      log(`↻ ${service} stopped`);
      try {
        await whileDown?.();
      } finally {
        if (service === 'auth') auth = await startAuthServer({ ...authOptions, port });
        else dynamodb = await startDynamoDb(host, port, dirs.dynamodb);
        log(`↻ ${service} started again`);
      }
    };
    return { ...info, shuffle, restart, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function scheduledEvent(): ScheduleEvent {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: 'local',
    time: new Date().toISOString(),
    region: localRegion,
    resources: ['local:rule/alktunes-shuffle'],
    detail: {},
  };
}
