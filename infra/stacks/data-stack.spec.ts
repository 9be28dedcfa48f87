import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableName, tables } from '../../backend/adapters/dynamodb/tables';
import { nagFindings, synthApp } from '../testing/synth';

describe('DataStack', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.data);
  });

  it.each(tables)('builds the $id table from its shared definition', (definition) => {
    const keys = [definition.partitionKey, definition.sortKey];
    const indexKeys = [
      ...definition.globalIndexes.flatMap((index) => [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])]),
      ...definition.localIndexes.map((index) => index.sortKey),
    ];
    const attributes = new Map([...keys, ...indexKeys].map((key) => [key.name, key.type]));

    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: tableName('alktunes', definition),
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayEquals(
        [...attributes].map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
      ),
      GlobalSecondaryIndexes: definition.globalIndexes.length
        ? definition.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
            ],
            Projection: { ProjectionType: 'ALL' },
          }))
        : Match.absent(),
      LocalSecondaryIndexes: definition.localIndexes.length
        ? definition.localIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }))
        : Match.absent(),
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('builds exactly the shared tables, retained on stack deletion', () => {
    const built = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(built)).toHaveLength(tables.length);
    for (const resource of Object.values(built)) expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('keeps the media bucket private, TLS-only and ready for Range requests', () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { CorsConfiguration: Match.anyValue() },
    });
    const [logicalId, bucket] = Object.entries(buckets)[0]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: expect.anything() },
      CorsConfiguration: {
        CorsRules: [expect.objectContaining({ AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['Range'] })],
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' })],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('exports the bucket and table names', () => {
    for (const output of ['MediaBucket', 'PlaylistsTable', 'TracksTable', 'HomeTable']) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.data)).toEqual([]);
    expect(nagFindings(stacks.data, 'warning')).toEqual([]);
  });
});

describe('DataStack with deletionProtection=false', () => {
  it('lets tables and buckets be deleted with the stack', () => {
    const template = Template.fromStack(synthApp({ deletionProtection: 'false' }).data);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
    for (const resource of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
  });
});
