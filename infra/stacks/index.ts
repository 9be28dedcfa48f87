import type { App } from 'aws-cdk-lib';
import { readConfig, type InfraConfig } from '../config';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { DataStack } from './data-stack';
import { SearchStack } from './search-stack';

/** Feature flags the stacks rely on, set here so `cdk synth` and the specs agree. */
const FEATURE_FLAGS = {
  // Access logs are delivered under a bucket policy, so log buckets need no ACLs.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Exports stay until their importers are gone (CloudFormation refuses to drop a used export).
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // The CloudSearch custom resources use the SDK bundled with the Lambda runtime.
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
  // Launch templates named after the instance's path, so two deployments (prefixes) can share an account.
  '@aws-cdk/aws-ec2:uniqueImdsv2TemplateName': true,
};

/** The stacks of the app, each named `<prefix>-<part>`, in deploy order (each needs only earlier ones). */
export const STACK_PARTS = ['data', 'search', 'auth', 'api'] as const;
export type StackPart = (typeof STACK_PARTS)[number];

/** The CloudFormation name of one stack of a deployment. */
export const stackName = (prefix: string, part: StackPart): string => `${prefix}-${part}`;

export interface AlktunesStacks {
  config: InfraConfig;
  data: DataStack;
  search: SearchStack;
  auth: AuthStack;
  api: ApiStack;
}

/**
 * The whole backend, shared by `infra/app.ts` and the stack specs so both synthesize the
 * same thing. Stacks are environment-agnostic: `cdk deploy` targets the CLI's account and
 * region, and `cdk synth` needs no AWS credentials.
 */
export function buildStacks(app: App): AlktunesStacks {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const config = readConfig(app);
  const name = (part: StackPart) => stackName(config.prefix, part);

  const data = new DataStack(app, name('data'), { config, description: 'Alktunes tables and media bucket' });
  const search = new SearchStack(app, name('search'), {
    config,
    mediaBucket: data.media.bucket,
    description: `Alktunes catalog search (${config.searchBackend})`,
  });
  const auth = new AuthStack(app, name('auth'), {
    config,
    alarmTopic: data.alarms.topic,
    revocationsTable: data.tables.revocations.table,
    description: 'Alktunes auth server: EC2, RDS MySQL, CloudFront',
  });
  const api = new ApiStack(app, name('api'), {
    config,
    data,
    search,
    issuer: auth.issuer,
    description: 'Alktunes HTTP API, Lambdas, the home shuffle schedule and their alarms',
  });
  return { config, data, search, auth, api };
}
