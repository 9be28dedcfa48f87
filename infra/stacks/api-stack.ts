import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../backend/adapters/dynamodb/tables';
import { SEARCH_INDEX_PREFIX } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { PURGE_PERIOD_MINUTES } from '../../backend/api/accounts/purge-accounts';
import { apiRoutes } from '../../backend/api/routes';
import { apiCors, type CorsMethod } from '../../backend/http/cors';
import type { FunctionName } from '../../backend/api/types';
import type { InfraConfig } from '../config';
import { AccountPurgeSchedule } from '../constructs/account-purge-schedule';
import { ApiAlarms } from '../constructs/api-alarms';
import { ApiFunction, type BucketAccess, type TableAccess } from '../constructs/api-function';
import { HomeFeedSchedule } from '../constructs/home-feed-schedule';
import { pascalCase } from '../names';
import { mediaBucketExport, type DataStack } from './data-stack';
import type { SearchStack } from './search-stack';

export interface ApiStackProps extends StackProps {
  config: InfraConfig;
  data: DataStack;
  /** The search index; with CloudSearch, the search function finds the domain by its name. */
  search: SearchStack;
  /** Issuer of the access tokens; API Gateway fetches `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
}

type BackendFunction = FunctionName | 'shuffle' | 'purge';

interface FunctionSpec {
  description: string;
  tables: Record<TableDefinition['id'], TableAccess>;
  media: BucketAccess;
  memorySize?: number;
  /** How long one invocation may run; API Gateway gives up on a route after 30 s anyway. */
  timeout: Duration;
  /** Its Lambda entry, when not `backend/api/lambda/<name>.ts`. */
  entry?: (config: InfraConfig) => string;
}

/**
 * The least-privilege matrix: what each function may touch, and nothing else. Every API function
 * looks up the revocations of the token's user and session before it serves a request.
 */
const functions: Record<BackendFunction, FunctionSpec> = {
  playlists: {
    description: 'Playlists of the signed-in listener',
    tables: { playlists: 'readWrite', tracks: 'read', home: 'none', revocations: 'lookup', listening: 'none' },
    // Entries carry their tracks' presigned cover URLs.
    media: 'covers',
    // A handful of DynamoDB calls per request (a few ms each); a hung call should fail fast.
    timeout: Duration.seconds(10),
  },
  catalog: {
    description: 'Browse tracks, albums and artists; presigned stream URLs',
    tables: { playlists: 'none', tracks: 'read', home: 'none', revocations: 'lookup', listening: 'none' },
    media: 'audioAndCovers',
    // An artist page is the longest: one query per album, in parallel.
    timeout: Duration.seconds(10),
  },
  home: {
    description: "The home feed: the listener's own sections, the global ones and their recent plays",
    // Listening: the listener's latest plays, read live for "Recently played".
    tables: { playlists: 'none', tracks: 'read', home: 'read', revocations: 'lookup', listening: 'read' },
    // The feed's tracks carry presigned cover URLs (streams come from the catalog function).
    media: 'covers',
    // Two GetItems and a Query in parallel, then one BatchGet of at most ~130 tracks.
    timeout: Duration.seconds(10),
  },
  search: {
    description: 'Catalog search and type-ahead suggestions',
    // Hits carry their records (embedded snapshot or CloudSearch `doc` field): no catalog reads.
    // Home: the weekly plays the schedule publishes (`popular` item only), which rank equal hits.
    // Its only other grants are the search index's, added in `bindSearch`.
    tables: { playlists: 'none', tracks: 'none', home: 'popular', revocations: 'lookup', listening: 'none' },
    // Hits carry presigned cover URLs.
    media: 'covers',
    // Room for the embedded index (~140 MB of heap for 100,000 tracks, bench/search.ts) and the
    // CPU share that comes with memory, which the snapshot load on a cold start needs.
    memorySize: 1536,
    // Only the deployed backend's adapter is bundled: CloudSearch's two clients would add ~60 ms
    // to every cold start of the embedded one.
    entry: (config) =>
      config.searchBackend === 'cloudsearch' ? 'backend/api/lambda/search-cloudsearch.ts' : 'backend/api/lambda/search.ts',
    // The first query after a cold start loads the index snapshot: 4.8 s for 100,000 tracks on a
    // full core here, longer on the ~0.9 vCPU of 1536 MB. 30 s is all API Gateway waits anyway.
    timeout: Duration.seconds(30),
  },
  listening: {
    description: 'Plays, history, likes and settings of the signed-in listener',
    tables: { playlists: 'none', tracks: 'read', home: 'none', revocations: 'lookup', listening: 'readWrite' },
    // History and liked tracks carry presigned cover URLs.
    media: 'covers',
    // A batch of 50 plays is 50 small transactions, 8 at a time (tens of ms in all); a hung call should fail fast.
    timeout: Duration.seconds(10),
  },
  playlistImport: {
    description: 'Imports a playlist file, matching its lines through the search index',
    // The new playlist and its entries (Idempotency-Key records included); the adds look up each
    // track. Its search index grants are added in `bindSearch`.
    tables: { playlists: 'readWrite', tracks: 'read', home: 'none', revocations: 'lookup', listening: 'none' },
    // The answer holds the playlist, not its tracks: nothing to presign.
    media: 'none',
    // The embedded index in memory, as for search.
    memorySize: 1536,
    entry: (config) =>
      config.searchBackend === 'cloudsearch'
        ? 'backend/api/lambda/playlist-import-cloudsearch.ts'
        : 'backend/api/lambda/playlist-import.ts',
    // A cold index load as for search, then up to 1,000 searches and 10 adds.
    timeout: Duration.seconds(30),
  },
  shuffle: {
    description: 'Publishes the home feeds every 3 hours, on deploy and after an import',
    // Home: read too, a new mix is built against the current one so it does not repeat its lead.
    // Listening: queries plays, likes, counts, day counters and markers, and deletes the `changed`
    // marker of each listener whose feed it writes (in one transaction with the feed).
    tables: { playlists: 'none', tracks: 'read', home: 'readWrite', revocations: 'none', listening: 'feedRebuild' },
    media: 'none',
    // Building each listener's feed is CPU between DynamoDB calls (16 listeners at a time); 1,024 MB
    // brings ~0.6 vCPU (bench/home-feed.ts measures a run).
    memorySize: 1024,
    // The whole catalog first (1,000 tracks per query), then the listeners marked changed until
    // 30 s are left; the rest stay marked for the next run, 3 hours later. A minute below Lambda's
    // 15: the deployment's trigger waits for the run from a provider function limited to 15.
    timeout: Duration.minutes(14),
  },
  purge: {
    description: `Erases the data of deleted accounts every ${PURGE_PERIOD_MINUTES} minutes`,
    // Every per-user store of `userDataStores`, listed and deleted by key; the purge requests and
    // revocation records it clears. The media bucket holds nothing per user.
    // Home: only the users' partitions; the global feed and the popularity sit beside them.
    tables: { playlists: 'purge', tracks: 'none', home: 'purgeUserPartitions', revocations: 'purgeQueue', listening: 'purge' },
    media: 'none',
    // One Query and a few batch deletes per playlist; shorter than the period, so runs never overlap.
    timeout: Duration.minutes(5),
  },
};

/** `apiCors`'s methods as API Gateway names them; with `CorsMethod`, a misspelt method does not compile. */
const CORS_METHODS: Record<CorsMethod, apigw.CorsHttpMethod> = {
  GET: apigw.CorsHttpMethod.GET,
  HEAD: apigw.CorsHttpMethod.HEAD,
  POST: apigw.CorsHttpMethod.POST,
  PUT: apigw.CorsHttpMethod.PUT,
  PATCH: apigw.CorsHttpMethod.PATCH,
  DELETE: apigw.CorsHttpMethod.DELETE,
};

/** The HTTP API behind the JWT authorizer, its Lambdas, the scheduled shuffle and the account purge. */
export class ApiStack extends Stack {
  readonly functions: Record<BackendFunction, ApiFunction>;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    this.addStackDependency(data);
    // The CloudSearch domain is created before the functions that look it up.
    this.addStackDependency(props.search);
    const mediaBucket = s3.Bucket.fromBucketName(this, 'MediaBucket', Fn.importValue(mediaBucketExport(config)));

    const built = Object.entries(functions).map(([name, spec]) => {
      const fn = new ApiFunction(this, pascalCase(name), {
        entry: spec.entry?.(config) ?? `backend/api/lambda/${name}.ts`,
        description: spec.description,
        memorySize: spec.memorySize,
        timeout: spec.timeout,
      });
      for (const [tableId, access] of Object.entries(spec.tables)) {
        fn.useTable(data.tables[tableId as TableDefinition['id']], access);
      }
      fn.useMediaBucket(mediaBucket, spec.media, config.streamUrlTtlSeconds);
      return [name, fn] as const;
    });
    this.functions = Object.fromEntries(built) as Record<BackendFunction, ApiFunction>;
    this.bindSearch(this.functions.search, mediaBucket, config, props.search, ['cloudsearch:search', 'cloudsearch:suggest']);
    this.bindSearch(this.functions.playlistImport, mediaBucket, config, props.search, ['cloudsearch:search']);

    this.api = new apigw.HttpApi(this, 'Api', {
      // Not unique by AWS's rules, but two deployments should not look alike in the console.
      apiName: `${config.prefix}-api`,
      description: 'Alktunes listener API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('AuthServer', props.issuer, {
        jwtAudience: [config.authAudience],
        identitySource: ['$request.header.Authorization'],
      }),
      // The API's one CORS policy, which the local gateway answers too.
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: apiCors.allowMethods.map((method) => CORS_METHODS[method]),
        allowHeaders: [...apiCors.allowHeaders],
        exposeHeaders: [...apiCors.exposeHeaders],
        maxAge: Duration.seconds(apiCors.maxAgeSeconds),
      },
    });
    this.stage = this.addDefaultStage();
    this.addRoutes();

    const alarmTopic = data.alarms.topic;
    new HomeFeedSchedule(this, 'ShuffleSchedule', { shuffle: this.functions.shuffle.fn, alarmTopic });
    new AccountPurgeSchedule(this, 'PurgeSchedule', { purge: this.functions.purge.fn, periodMinutes: PURGE_PERIOD_MINUTES, alarmTopic });
    new ApiAlarms(this, 'Alarms', {
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, fn]) => [name, fn.fn])),
      stage: this.stage,
      alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the listener API (WXT_API_URL)' });
    new CfnOutput(this, 'ShuffleFunctionName', {
      value: this.functions.shuffle.fn.functionName,
      description: 'Publishes the home feed; the import command invokes it when it is done',
    });
  }

  /**
   * A function's search backend and its least-privilege access: GetObject on the index
   * snapshots for the embedded index; or, on the one CloudSearch domain, DescribeDomains (the
   * function looks its endpoints up by the domain's name at start: they exist only once the
   * domain is active, minutes after the deploy) and the `queries` it makes (search, suggest).
   */
  private bindSearch(
    search: ApiFunction,
    mediaBucket: s3.IBucket,
    config: InfraConfig,
    searchStack: SearchStack,
    queries: readonly ('cloudsearch:search' | 'cloudsearch:suggest')[],
  ) {
    search.fn.addEnvironment('SEARCH_BACKEND', config.searchBackend);
    if (config.searchBackend === 'embedded') {
      search.readObjects(mediaBucket, [SEARCH_INDEX_PREFIX], 'Reads the search index snapshots');
    }
    const domain = searchStack.domain;
    if (!domain) return;
    search.fn.addEnvironment('CLOUDSEARCH_DOMAIN', domain.domainName);
    // Formatted here (a plain name, no cross-stack export), for the same domain.
    const domainArn = this.formatArn({ service: 'cloudsearch', resource: 'domain', resourceName: domain.domainName });
    iam.Grant.addToPrincipal({
      grantee: search.fn,
      actions: ['cloudsearch:DescribeDomains', ...queries],
      resourceArns: [domainArn],
    });
  }

  /** `$default` with throttling and JSON access logs (the `HttpApi` default stage allows neither). */
  private addDefaultStage(): apigw.HttpStage {
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
  }

  /** One route per entry of `apiRoutes`, so routes are defined once for the cloud and the local gateway. */
  private addRoutes() {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of apiRoutes) {
      const [method, path] = parseRouteKey(route.routeKey);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascalCase(route.function)}Integration`, this.functions[route.function].fn);
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({ path, methods: [method], integration });
    }
  }
}

function parseRouteKey(routeKey: string): [apigw.HttpMethod, string] {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1] as apigw.HttpMethod | undefined;
  if (!match || !method || !Object.values(apigw.HttpMethod).includes(method)) {
    throw new Error(`apiRoutes has an invalid route key "${routeKey}"; expected e.g. "GET /playlists/{id}"`);
  }
  return [method, match[2]!];
}
