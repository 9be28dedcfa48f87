import { Annotations, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../backend/adapters/dynamodb/tables';
import { SEARCH_INDEX_PREFIX } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { apiRoutes } from '../../backend/api/routes';
import type { FunctionName } from '../../backend/api/types';
import type { InfraConfig } from '../config';
import { ApiFunction, type BucketAccess, type TableAccess } from '../constructs/api-function';
import { acceptFindings, nagResourceName } from '../nag';
import { mediaBucketExport, type DataStack } from './data-stack';

export interface ApiStackProps extends StackProps {
  config: InfraConfig;
  data: DataStack;
  /** Issuer of the access tokens; API Gateway fetches `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
}

type BackendFunction = FunctionName | 'shuffle';

interface FunctionSpec {
  description: string;
  tables: Record<TableDefinition['id'], TableAccess>;
  media: BucketAccess;
  memorySize?: number;
}

/** The least-privilege matrix: what each function may touch, and nothing else. */
const functions: Record<BackendFunction, FunctionSpec> = {
  playlists: {
    description: 'Playlists of the signed-in listener',
    tables: { playlists: 'readWrite', tracks: 'read', home: 'none' },
    media: 'none',
  },
  catalog: {
    description: 'Browse tracks, albums and artists; presigned stream URLs',
    tables: { playlists: 'none', tracks: 'read', home: 'none' },
    media: 'read',
  },
  home: {
    description: 'The shuffled home feed',
    tables: { playlists: 'none', tracks: 'read', home: 'read' },
    media: 'read',
  },
  search: {
    description: 'Catalog search and type-ahead suggestions',
    // Hits carry their records (embedded snapshot or CloudSearch `doc` field): no table reads.
    // Its only other grants are the search index's, added in `bindSearch`.
    tables: { playlists: 'none', tracks: 'none', home: 'none' },
    media: 'none',
    // Room for the embedded index (~140 MB of heap for 100,000 tracks, bench/search.ts) and the
    // CPU share that comes with memory, which the snapshot load on a cold start needs.
    memorySize: 1536,
  },
  shuffle: {
    description: 'Publishes a new home feed every 3 hours',
    tables: { playlists: 'none', tracks: 'read', home: 'write' },
    media: 'none',
  },
};

/** The HTTP API behind the JWT authorizer, its Lambdas and the scheduled shuffle. */
export class ApiStack extends Stack {
  readonly functions: Record<BackendFunction, ApiFunction>;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    this.addStackDependency(data);
    const mediaBucket = s3.Bucket.fromBucketName(this, 'MediaBucket', Fn.importValue(mediaBucketExport(config)));

    const built = Object.entries(functions).map(([name, spec]) => {
      const fn = new ApiFunction(this, pascal(name), {
        entry: `backend/api/lambda/${name}.ts`,
        description: spec.description,
        memorySize: spec.memorySize,
      });
      for (const [tableId, access] of Object.entries(spec.tables)) {
        fn.useTable(data.tables[tableId as TableDefinition['id']], access);
      }
      fn.useMediaBucket(mediaBucket, spec.media, config.streamUrlTtlSeconds);
      return [name, fn] as const;
    });
    this.functions = Object.fromEntries(built) as Record<BackendFunction, ApiFunction>;
    this.bindSearch(this.functions.search, mediaBucket, config);

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Alktunes listener API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('AuthServer', props.issuer, {
        jwtAudience: [config.authAudience],
        identitySource: ['$request.header.Authorization'],
      }),
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: [
          apigw.CorsHttpMethod.GET,
          apigw.CorsHttpMethod.POST,
          apigw.CorsHttpMethod.PUT,
          apigw.CorsHttpMethod.PATCH,
          apigw.CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    this.stage = this.addDefaultStage();
    this.addRoutes();

    new events.Rule(this, 'ShuffleSchedule', {
      description: 'Reshuffles the home feed',
      schedule: events.Schedule.rate(Duration.hours(3)),
      targets: [new targets.LambdaFunction(this.functions.shuffle.fn, { retryAttempts: 2 })],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the listener API' });
  }

  /**
   * The search function's backend and its least-privilege access: GetObject on the covers
   * (presigned in hits) and, for the embedded index, on the snapshot prefix; or search/suggest
   * on the one CloudSearch domain. The domain's
   * endpoint exists only once the domain is active, so it comes from `-c cloudsearchEndpoint=…`
   * on the deploy after the one that created the domain; until then the function fails at
   * start, naming CLOUDSEARCH_ENDPOINT.
   */
  private bindSearch(search: ApiFunction, mediaBucket: s3.IBucket, config: InfraConfig) {
    search.fn.addEnvironment('SEARCH_BACKEND', config.searchBackend);
    // Hits carry presigned cover URLs, which are only as good as the signer's own s3:GetObject.
    const covers = mediaBucket.arnForObjects('covers/*');
    const snapshots = mediaBucket.arnForObjects(`${SEARCH_INDEX_PREFIX}*`);
    const readable = config.searchBackend === 'embedded' ? [covers, snapshots] : [covers];
    iam.Grant.addToPrincipal({ grantee: search.fn, actions: ['s3:GetObject'], resourceArns: readable });
    acceptFindings(
      search.fn,
      ...readable.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, arn)}]`,
        reason: 'Presigns cover URLs and reads the search index snapshots: s3:GetObject on those key prefixes only.',
      })),
    );
    if (config.searchBackend === 'embedded') return;
    const endpoint = this.node.tryGetContext('cloudsearchEndpoint') as string | undefined;
    if (!endpoint) {
      Annotations.of(search).addWarningV2(
        'alktunes:cloudsearch-endpoint',
        'searchBackend=cloudsearch without -c cloudsearchEndpoint=…: search answers 500 until redeployed with the domain endpoint',
      );
    }
    search.fn.addEnvironment('CLOUDSEARCH_ENDPOINT', endpoint ?? '');
    // Same name as the SearchStack's domain (`<prefix>-search`).
    const domainArn = this.formatArn({ service: 'cloudsearch', resource: 'domain', resourceName: `${config.prefix}-search` });
    iam.Grant.addToPrincipal({ grantee: search.fn, actions: ['cloudsearch:search', 'cloudsearch:suggest'], resourceArns: [domainArn] });
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
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, this.functions[route.function].fn);
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

function pascal(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
