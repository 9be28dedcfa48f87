import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tables, type TableDefinition } from '../../backend/adapters/dynamodb/tables';
import type { InfraConfig } from '../config';
import { pascalCase } from '../names';
import { AlarmTopic } from '../constructs/alarm-topic';
import { AppTable } from '../constructs/app-table';
import { MediaBucket } from '../constructs/media-bucket';

export interface DataStackProps extends StackProps {
  config: InfraConfig;
}

/**
 * Everything stateful the Lambdas share: the three DynamoDB tables and the media bucket; and
 * the deployment's alarm topic, which every other stack's alarms notify.
 */
export class DataStack extends Stack {
  readonly tables: Record<TableDefinition['id'], AppTable>;
  readonly media: MediaBucket;
  readonly alarms: AlarmTopic;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarms = new AlarmTopic(this, 'Alarms', { email: config.alarmEmail });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'SNS topic of every alarm; subscribe more addresses here',
    });

    const built = tables.map((definition) => {
      const table = new AppTable(this, pascalCase(definition.id), { definition, deletionProtection: config.deletionProtection });
      new CfnOutput(this, `${pascalCase(definition.id)}Table`, {
        value: table.table.tableName,
        description: `DynamoDB table read through ${definition.envVar}`,
      });
      return [definition.id, table] as const;
    });
    this.tables = Object.fromEntries(built) as Record<TableDefinition['id'], AppTable>;

    this.media = new MediaBucket(this, 'Media', {
      corsOrigins: config.corsOrigins,
      deletionProtection: config.deletionProtection,
    });
    new CfnOutput(this, 'MediaBucket', {
      value: this.media.bucket.bucketName,
      description: 'S3 bucket for audio and covers (MEDIA_BUCKET)',
      exportName: mediaBucketExport(config),
    });
    // The origin of the presigned media URLs (the SDK signs virtual-hosted, regional URLs); the
    // extension build takes its host permission from it.
    new CfnOutput(this, 'MediaUrl', {
      value: `https://${this.media.bucket.bucketRegionalDomainName}`,
      description: 'Origin of the presigned audio and cover URLs (WXT_MEDIA_URL)',
    });
    new CfnOutput(this, 'Region', { value: Aws.REGION, description: 'Region of this deployment (the import and reindex commands use it)' });
  }
}

/**
 * The media bucket's export, named rather than generated so the API stack's grants (and the
 * cdk-nag findings naming them) read the same in every synth.
 */
export function mediaBucketExport(config: InfraConfig): string {
  return `${config.prefix}-media-bucket`;
}
