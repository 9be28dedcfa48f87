import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acceptFindings, nagResourceName } from '../nag';
import { Construct } from 'constructs';
import { repoRoot } from '../paths';
import type { AppTable } from './app-table';

/** Item reads, as `grantReadData` minus the stream actions these tables don't have. */
const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * What a function may do with a table or the bucket; each level maps to one least-privilege grant.
 * `none` still passes the name: the handlers validate their whole config at cold start.
 */
export type TableAccess = 'none' | 'read' | 'write' | 'readWrite';
export type BucketAccess = 'none' | 'read';

export interface ApiFunctionProps {
  /** Entry file relative to the repository root, exporting `handler`. */
  entry: string;
  description: string;
  /** Memory in MB (default 512); the embedded search index lives in memory. */
  memorySize?: number;
}

/**
 * A backend Lambda with the project's runtime defaults (Node.js 24 on arm64, ESM bundle with
 * source maps, a log group kept for a month). Resources are attached with `useTable` /
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
      timeout: Duration.seconds(10),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Bundle the SDK too: the versions in package-lock.json are the ones the tests ran against.
        externalModules: [],
        // Some SDK dependencies are CommonJS and call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        tsconfig: path.join(repoRoot, 'tsconfig.backend.json'),
      },
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
    const actions = new Set([...(access === 'write' ? [] : READ_ACTIONS), ...(access === 'read' ? [] : WRITE_ACTIONS)]);
    const indexes = [...table.definition.globalIndexes, ...table.definition.localIndexes];
    iam.Grant.addToPrincipal({
      grantee: this.fn,
      actions: [...actions].sort(),
      resourceArns: [
        table.table.tableArn,
        ...(access === 'write' ? [] : indexes.map((index) => `${table.table.tableArn}/index/${index.indexName}`)),
      ],
    });
    return this;
  }

  /**
   * Passes the media bucket in `MEDIA_BUCKET` with the presigned-URL lifetime and, for `read`,
   * grants read: a presigned GET is only as good as the signer's own `s3:GetObject` permission.
   */
  useMediaBucket(bucket: s3.IBucket, access: BucketAccess, streamUrlTtlSeconds: number): this {
    this.fn.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
    this.fn.addEnvironment('STREAM_URL_TTL_SECONDS', String(streamUrlTtlSeconds));
    if (access === 'none') return this;
    // GetObject only: presigned GETs (with Range) need nothing else, not even ListBucket.
    const objects = bucket.arnForObjects('*');
    iam.Grant.addToPrincipal({ grantee: this.fn, actions: ['s3:GetObject'], resourceArns: [objects] });
    acceptFindings(this.fn, {
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(this), objects)}]`,
      reason: 'Presigns GETs for any audio file or cover in the media bucket: s3:GetObject only, on that one bucket.',
    });
    return this;
  }
}
