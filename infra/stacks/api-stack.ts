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
    description: 'The shuffled home feed',
    tables: { playlists: 'none', tracks: 'read', home: 'read', revocations: 'lookup', listening: 'none' },
    // The feed's tracks carry presigned cover URLs (streams come from the catalog function).
    media: 'covers',
    // One GetItem and one BatchGet of at most a few hundred tracks.
    timeout: Duration.seconds(10),
  },
  search: {
    description: 'Catalog search and type-ahead suggestions',
    // Hits carry their records (embedded snapshot or CloudSearch `doc` field): no catalog reads.
    // Its only other grants are the search index's, added in `bindSearch`.
    tables: { playlists: 'none', tracks: 'none', home: 'none', revocations: 'lookup', listening: 'none' },
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
  shuffle: {
    description: 'Publishes a new home feed every 3 hours, on deploy and after an import',
    // Read too: a new feed is built against the current one (GetItem), so it does not repeat it.
    tables: { playlists: 'none', tracks: 'read', home: 'readWrite', revocations: 'none', listening: 'none' },
    media: 'none',
    // Reads the whole catalog, 1,000 tracks per query (100 queries for 100,000 tracks), off the
    // request path: minutes leave room for a larger catalog and throttled reads.
    timeout: Duration.minutes(5),
  },
  purge: {
    description: `Erases the data of deleted accounts every ${PURGE_PERIOD_MINUTES} minutes`,
    // Every per-user store of `userDataStores`, listed and deleted by key; the purge requests and
    // revocation records it clears. The media bucket holds nothing per user.
    tables: { playlists: 'purge', tracks: 'none', home: 'none', revocations: 'purgeQueue', listening: 'none' },
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
    this.bindSearch(this.functions.search, mediaBucket, config, props.search);

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
   * The search function's backend and its least-privilege access: GetObject on the index
   * snapshots for the embedded index; or, on the one CloudSearch domain, DescribeDomains (the
   * function looks its endpoints up by the domain's name at start: they exist only once the
   * domain is active, minutes after the deploy) and search/suggest.
   */
  private bindSearch(search: ApiFunction, mediaBucket: s3.IBucket, config: InfraConfig, searchStack: SearchStack) {
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
      actions: ['cloudsearch:DescribeDomains', 'cloudsearch:search', 'cloudsearch:suggest'],
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
