import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acceptFindings, nagResourceName } from '../nag';
import { Construct } from 'constructs';
import { repoRoot } from '../paths';
import type { AppTable } from './app-table';
import { ESM_REQUIRE_BANNER } from './esm-require-banner';
import { LISTENER_PARTITIONS } from '../../backend/adapters/dynamodb/home-repository.dynamodb';
import { POPULAR_PLAYS_PARTITION } from '../../backend/adapters/dynamodb/popular-plays.dynamodb';
import { PURGE_QUEUE_PARTITIONS } from '../../backend/adapters/dynamodb/revocations.dynamodb';
import { MEDIA_PREFIXES } from '../../backend/adapters/s3/media-keys';

/** Item reads, as `grantReadData` minus the stream actions these tables don't have. */
const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

interface TableGrant {
  actions: readonly string[];
  /** Whether the grant covers the table's indexes too. */
  indexes: boolean;
  /** The only partition key values (IAM patterns) the actions may touch (`dynamodb:LeadingKeys`). */
  leadingKeys?: readonly string[];
}

/** The actions of each access level, indexes included unless the level only writes or looks up keys. */
const TABLE_ACCESS: Record<Exclude<TableAccess, 'none'>, TableGrant> = {
  read: { actions: READ_ACTIONS, indexes: true },
  write: { actions: WRITE_ACTIONS, indexes: false },
  readWrite: { actions: [...new Set([...READ_ACTIONS, ...WRITE_ACTIONS])], indexes: true },
  lookup: { actions: ['dynamodb:BatchGetItem'], indexes: false },
  // IAM can't limit BatchWriteItem to deletes (a put is the same action), so this also lets the
  // purge write items in the tables it is given; deleting one key per DeleteItem would close
  // that at 25 times the requests for a large account.
  purge: { actions: ['dynamodb:BatchWriteItem', 'dynamodb:Query'], indexes: false },
  // The same on a table that keeps shared items beside the users' own: BatchWriteItem and Query
  // always carry their leading keys, so the purge can't write anything outside `user#…`.
  purgeUserPartitions: { actions: ['dynamodb:BatchWriteItem', 'dynamodb:Query'], indexes: false, leadingKeys: LISTENER_PARTITIONS },
  // Single deletes, which IAM checks against each key: with the LeadingKeys condition the purge
  // can neither delete an ended session (accepting its tokens again) nor touch anything but the
  // purge requests and the revoked users. Both actions always carry a leading key, so the
  // condition can't pass on a missing one (ForAllValues holds for a request without the key).
  purgeQueue: { actions: ['dynamodb:DeleteItem', 'dynamodb:Query'], indexes: false, leadingKeys: PURGE_QUEUE_PARTITIONS },
  // One GetItem on the weekly plays the home schedule publishes; GetItem always carries its key.
  popular: { actions: ['dynamodb:GetItem'], indexes: false, leadingKeys: [POPULAR_PLAYS_PARTITION] },
  // Queries (the byTime index too) and single deletes: no put, update or scan of the listeners' data.
  feedRebuild: { actions: ['dynamodb:DeleteItem', 'dynamodb:Query'], indexes: true },
};

/** How every backend Lambda is bundled; `bench/cold-start.ts` builds its floor bundles the same way. */
export const LAMBDA_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  // The map is read only when a stack trace is formatted (`mapStackTracesOnDemand` in the
  // entries), never at a cold start: no `--enable-source-maps`. Without the sources' text it
  // is less than half the size, and stack traces still name file, line and column.
  sourceMap: true,
  sourcesContent: false,
  // Bundle the SDK too: the versions in package-lock.json are the ones the tests ran against,
  // and a minified bundle starts 20–70 ms (CPU) faster than the same clients loaded from
  // node_modules, as the runtime's own SDK would be (bench/cold-start.ts, "runtime SDK" column).
  externalModules: [],
  banner: ESM_REQUIRE_BANNER,
  tsconfig: path.join(repoRoot, 'tsconfig.backend.json'),
} satisfies BundlingOptions;

/**
 * What a function may do with a table or the bucket; each level maps to one least-privilege grant.
 * `none` still passes the name: the handlers validate their whole config at cold start.
 */
export type TableAccess =
  | 'none'
  | 'read'
  | 'write'
  | 'readWrite'
  /** Items by key only, in batches: the revocation check of every API function. */
  | 'lookup'
  /** Lists a partition and deletes what it finds, in batches: the account purge on the per-user stores. */
  | 'purge'
  /** As `purge`, in the `user#…` partitions only: the account purge on the home table, whose global feed and popularity it must not touch. */
  | 'purgeUserPartitions'
  /** Lists the purge requests and deletes finished ones with their revocations, one key at a time. */
  | 'purgeQueue'
  /** Reads the weekly plays item of the home table (pk `popular`), nothing else of it: search ranking. */
  | 'popular'
  /**
   * Lists partitions, the indexes too, and deletes single items: the home schedule on the listening
   * table, which reads plays, likes and counts and deletes the `changed` marker of each listener
   * whose feed it writes.
   */
  | 'feedRebuild';
/** Which media a function presigns GET URLs for: covers only, or audio and covers. */
export type BucketAccess = 'none' | 'covers' | 'audioAndCovers';

export interface ApiFunctionProps {
  /** Entry file relative to the repository root, exporting `handler`. */
  entry: string;
  description: string;
  /** Memory in MB (default 512); the embedded search index lives in memory. */
  memorySize?: number;
  /** How long one invocation may run (default 10 s); the reason belongs beside a longer one. */
  timeout?: Duration;
}

/**
 * A backend Lambda with the project's runtime defaults (Node.js 24 on arm64, a minified ESM
 * bundle with a source map read only on errors, a log group kept for a month). Resources are attached with `useTable` /
 * `useMediaBucket`, which set the environment variable the handler reads and grant exactly
 * the matching access, so a handler can never see a table it has no permission for.
 */
export class ApiFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // The logger's service and level (backend/lambda-runtime/logger.ts): named after the entry, e.g. `search-cloudsearch`.
      environment: { POWERTOOLS_SERVICE_NAME: path.basename(props.entry, '.ts'), POWERTOOLS_LOG_LEVEL: 'INFO' },
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      bundling: LAMBDA_BUNDLING,
    });
    acceptFindings(this.fn, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
    });
  }

  /**
   * Passes the table's name in its env var (e.g. `TRACKS_TABLE`) and grants `access` to the
   * table and to each of its indexes by name (no `index/*` wildcard).
   */
  useTable(table: AppTable, access: TableAccess): this {
    this.fn.addEnvironment(table.definition.envVar, table.table.tableName);
    if (access === 'none') return this;
    const { actions, indexes, leadingKeys } = TABLE_ACCESS[access];
    const indexNames = indexes ? [...table.definition.globalIndexes, ...table.definition.localIndexes].map((index) => index.indexName) : [];
    iam.Grant.addToPrincipal({
      grantee: this.fn,
      actions: [...actions].sort(),
      resourceArns: [table.table.tableArn, ...indexNames.map((name) => `${table.table.tableArn}/index/${name}`)],
      ...(leadingKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } } : {}),
    });
    return this;
  }

  /**
   * Passes the media bucket in `MEDIA_BUCKET` with the presigned-URL lifetime and grants
   * `s3:GetObject` on the key prefixes the function presigns: a presigned GET is only as good as
   * the signer's own permission.
   */
  useMediaBucket(bucket: s3.IBucket, access: BucketAccess, streamUrlTtlSeconds: number): this {
    this.fn.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
    this.fn.addEnvironment('STREAM_URL_TTL_SECONDS', String(streamUrlTtlSeconds));
    if (access === 'none') return this;
    const prefixes = access === 'covers' ? [MEDIA_PREFIXES.covers] : [MEDIA_PREFIXES.audio, MEDIA_PREFIXES.covers];
    this.readObjects(bucket, prefixes, access === 'covers' ? 'Presigns cover URLs' : 'Presigns stream and cover URLs');
    return this;
  }

  /**
   * Grants `s3:GetObject` (nothing else: presigned GETs with Range need no ListBucket) on
   * `<prefix>*` of the bucket, accepting cdk-nag's wildcard finding for exactly those prefixes.
   */
  readObjects(bucket: s3.IBucket, prefixes: readonly string[], why: string): this {
    const arns = prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    iam.Grant.addToPrincipal({ grantee: this.fn, actions: ['s3:GetObject'], resourceArns: arns });
    acceptFindings(
      this.fn,
      ...arns.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(this), arn)}]`,
        reason: `${why}: s3:GetObject on the ${prefixes.join(' and ')} key prefixes of the media bucket only.`,
      })),
    );
    return this;
  }
}
