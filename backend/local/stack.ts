import { writeFile } from 'node:fs/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PURGE_PERIOD_MINUTES, type PurgeSummary } from '../api/accounts/purge-accounts';
import { createPurgeFunction } from '../api/accounts/purge-function';
import { loadApiConfig } from '../api/config';
import { createApiFunctions } from '../api/functions';
import { createShuffleFunction } from '../api/home/shuffle-function';
import { apiRoutes } from '../api/routes';
import type { ApiHandler, FunctionName, ScheduleEvent } from '../api/types';
import { createDynamoClients } from '../adapters/dynamodb/client';
import { ensureTables } from '../adapters/dynamodb/create-tables';
import { DynamoCatalogRepository } from '../adapters/dynamodb/catalog-repository.dynamodb';
import { createDynamoRevocations } from '../adapters/dynamodb/revocations.dynamodb';
import { tableName, tables, type TableDefinition } from '../adapters/dynamodb/tables';
import { createS3Client, ensureBucket } from '../adapters/s3/client';
import { S3MediaStore } from '../adapters/s3/media-store.s3';
import { createIndexSync, rebuildIndex } from '../adapters/search/index-sync';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/access-tokens';
import { type AuthServerOptions, startAuthServer } from '../auth/server';
import { inFunctionLogContext } from '../lambda-runtime/logger';
import { apiAudience, defaultPorts, localPrefix, localRegion, type ServiceName } from './config';
import { claimDataFolder, dataFolderFiles } from './data-folder';
import { ensureDemoAccount, seedDemoCatalog, type DemoAccount } from './demo/seed';
import { emulatorDirs, startDynamoDb, startS3 } from './emulators';
import { createGateway } from './gateway';
import { createJwtAuthorizer } from './jwt-authorizer';
import { closeServer, listen } from './net';
import { purgePeriodMs, shufflePeriodMs, startSchedule } from './schedule';

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
  /**
   * How long the API functions reuse what they read about a user's revocations: 30 s (as
   * deployed) by default; tests shorten it to see a revocation take effect quickly.
   */
  revocationCacheSeconds?: number;
  /**
   * Auth server settings to change from the development defaults (e.g. trusted proxies, as behind
   * nginx, or a registration policy other than `open`).
   */
  authServer?: Partial<Pick<AuthServerOptions, 'trustedProxies' | 'hashGate' | 'rateLimits' | 'registration'>>;
  /**
   * A DynamoDB Local already running (e.g. one shared by a test run, or one that outlives the
   * application processes in a crash drill): the stack uses it and neither starts nor stops it.
   */
  dynamodbUrl?: string;
  /** Prefix of the table and bucket names; `alktunes` by default. Stacks sharing one DynamoDB need their own. */
  namePrefix?: string;
}

/** The address book written to `dataDir/stack.json` (API.md). */
export interface StackInfo {
  auth: string;
  api: string;
  s3: string;
  dynamodb: string;
  region: string;
  bucket: string;
  tables: Record<TableDefinition['id'], string>;
  demo: Pick<DemoAccount, 'email' | 'password'>;
  extension: { chrome?: string };
}

/** The services a running stack can restart on their own (fault tests, outage drills). */
export type RestartableService = 'auth' | 'dynamodb';

export interface LocalStack extends StackInfo {
  /** Runs the shuffle now (as the schedule would). */
  shuffle(): Promise<unknown>;
  /** Erases the data of deleted accounts now (as the schedule would). */
  purgeAccounts(): Promise<PurgeSummary>;
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
    // First, so a folder another stack uses or that cannot be written is refused before anything starts.
    const dataFolder = await claimDataFolder(options.dataDir);
    stops.push(dataFolder.release);
    const files = dataFolderFiles(options.dataDir);
    const dirs = emulatorDirs(options.dataDir);

    const external = options.dynamodbUrl;
    let dynamodb = external ? { url: external, stop: async () => {} } : await startDynamoDb(host, ports.dynamodb, dirs.dynamodb);
    stops.push(() => dynamodb.stop());
    log(
      external
        ? `✓ dynamodb  ${dynamodb.url}  (DynamoDB Local, already running)`
        : `✓ dynamodb  ${dynamodb.url}  (DynamoDB Local, data in ${dirs.dynamodb})`,
    );

    const s3 = await startS3(host, ports.s3, dirs.s3);
    stops.push(s3.stop);
    log(`✓ s3        ${s3.url}  (s3rver, data in ${dirs.s3})`);

    const prefix = options.namePrefix ?? localPrefix;
    const names = Object.fromEntries(tables.map((t) => [t.id, tableName(prefix, t)])) as StackInfo['tables'];
    const bucket = `${prefix}-media`;
    const apiConfig = loadApiConfig({
      AWS_REGION: localRegion,
      PLAYLISTS_TABLE: names.playlists,
      TRACKS_TABLE: names.tracks,
      HOME_TABLE: names.home,
      REVOCATIONS_TABLE: names.revocations,
      LISTENING_TABLE: names.listening,
      ...(options.revocationCacheSeconds === undefined ? {} : { REVOCATION_CACHE_SECONDS: String(options.revocationCacheSeconds) }),
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
      databaseUrl: options.databaseUrl ?? `sqlite:${files.authDatabase}`,
      keysFile: files.authKeys,
      log: requestLog,
      // The API functions read what the auth server writes here, as in a deployment.
      revocations: createDynamoRevocations({
        table: names.revocations,
        region: localRegion,
        endpoint: dynamodb.url,
        tokenLifetimeSeconds: ACCESS_TOKEN_TTL_SECONDS,
      }),
      // A development stack: anyone may register (a deployment defaults to invites).
      registration: 'open' as const,
      ...options.authServer,
    };
    let auth = await startAuthServer(authOptions);
    stops.push(() => auth.close());
    log(
      `✓ auth      ${auth.url}  (${options.databaseUrl?.startsWith('mysql') ? 'MySQL' : 'SQLite'}, registration ${authOptions.registration})`,
    );

    const shutdown = new AbortController();
    stops.push(async () => shutdown.abort());
    const gateway = createGateway({
      routes: apiRoutes,
      functions: options.functions ?? createApiFunctions(apiConfig, { signal: shutdown.signal }),
      authorizer: createJwtAuthorizer({ issuer: auth.issuer, audience: apiAudience }),
      health: async () => {
        await dynamoClients.client.send(new ListTablesCommand({ Limit: 1 }));
        const response = await fetch(`${s3.url}/health`);
        if (!response.ok) throw new Error(`${s3.url} is unhealthy`);
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
      markerFile: files.demoSeed,
      log,
      index: searchIndex,
    });
    log(`✓ catalog   ${seeded.trackCount} demo tracks${seeded.created ? ' generated' : ''}`);
    // A data directory from before search existed has tracks but no index yet.
    if (!(await searchIndex.hasIndex())) await rebuildIndex(catalog, searchIndex);
    searchIndex.close(); // the writer's copy of the index is not needed once published
    log(`✓ search    ${apiConfig.search.backend} index (snapshot polled every 2 s by the search function)`);
    const demo = await ensureDemoAccount(authOptions, files.demoAccount);

    const shuffleHandler = inFunctionLogContext('shuffle', createShuffleFunction(apiConfig));
    const shuffle = () => shuffleHandler(scheduledEvent('alktunes-shuffle'));
    const schedule = startSchedule(shuffle, shufflePeriodMs, (error) => log(`  shuffle failed: ${String(error)}`));
    stops.push(schedule.stop);
    await schedule.firstRun;
    log('✓ shuffle   home feed built; next run in 3 hours');

    const purgeHandler = inFunctionLogContext('purge', createPurgeFunction(apiConfig));
    const purgeAccounts = () => purgeHandler(scheduledEvent('alktunes-purge'));
    const purgeSchedule = startSchedule(purgeAccounts, purgePeriodMs, (error) => log(`  account purge failed: ${String(error)}`));
    stops.push(purgeSchedule.stop);
    log(`✓ purge     deleted accounts' data erased every ${PURGE_PERIOD_MINUTES} minutes`);

    const extension: StackInfo['extension'] = {};
    if (options.buildExtension) {
      const { buildExtension } = await import('../../wxt.build');
      extension.chrome = await buildExtension({
        authUrl: auth.url,
        apiUrl,
        mediaUrl: s3.url,
        outDir: files.extension,
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
    // It holds the demo password.
    await writeFile(files.addressBook, JSON.stringify(info, null, 2), { mode: 0o600 });
    const restart = async (service: RestartableService, whileDown?: () => Promise<unknown>) => {
      // The same port (the gateway, the authorizer and the SDK clients keep their URLs) and data.
      const port = Number(new URL(service === 'auth' ? auth.url : dynamodb.url).port);
      if (service === 'dynamodb' && external) throw new Error('This stack uses a DynamoDB it did not start; it cannot restart it');
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
    return { ...info, shuffle, purgeAccounts, restart, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function scheduledEvent(rule: string): ScheduleEvent {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: 'local',
    time: new Date().toISOString(),
    region: localRegion,
    resources: [`local:rule/${rule}`],
    detail: {},
  };
}
