import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, synthApp } from '../testing/synth';
import { userDataText } from '../testing/user-data';

describe('AuthStack', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.auth);
  });

  const sgId = (which: 'serverSecurityGroup' | 'databaseSecurityGroup') =>
    stacks.auth.getLogicalId(stacks.auth[which].node.defaultChild as never);

  it('builds a 2-AZ VPC with public and isolated subnets and no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('keeps MySQL 8.4 private, encrypted, backed up and snapshotted on deletion, without Extended Support', () => {
    const [databaseId] = Object.keys(template.findResources('AWS::RDS::DBInstance'));
    // No RDS deletion protection: a failed first deploy must be able to roll back.
    expect(template.toJSON().Resources[databaseId!]).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: Match.stringLikeRegexp('^8\\.4\\.'),
      EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      PubliclyAccessible: false,
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: false,
      VPCSecurityGroups: [{ 'Fn::GetAtt': [sgId('databaseSecurityGroup'), 'GroupId'] }],
      MasterUsername: Match.anyValue(),
      MasterUserPassword: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('databaseSubnet') })]),
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
    });
  });

  it("names the database in its secret and in the boot script, which falls back to it", () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBName: 'alktunes' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', SecretStringTemplate: Match.serializedJson(Match.objectLike({ dbname: 'alktunes' })) }),
    });
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    expect(userDataText(instance.Properties.UserData)).toMatch(/database_url=\$\(printf '%s' "\$db_secret" \| node -e '.+' alktunes\)\n/);
  });

  it('refuses connections without TLS at the database', () => {
    const [groupId] = Object.keys(template.findResources('AWS::RDS::DBParameterGroup', { Properties: { Parameters: { require_secure_transport: '1' } } }));
    expect(groupId).toBeDefined();
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: groupId } });
  });

  it('opens only port 80 (the CloudFront origin) to the world and 3306 only from the auth server', () => {
    const ingress = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
        (sg) => (sg.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[],
      ),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties as Record<string, unknown>),
    ];
    const world = ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0');
    expect(world.map((rule) => [rule.FromPort, rule.ToPort])).toEqual([[80, 80]]);
    const rest = ingress.filter((rule) => rule.CidrIp !== '0.0.0.0/0');
    expect(rest).toEqual([
      expect.objectContaining({
        FromPort: 3306,
        ToPort: 3306,
        GroupId: { 'Fn::GetAtt': [sgId('databaseSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [sgId('serverSecurityGroup'), 'GroupId'] },
      }),
    ]);
    expect(ingress.some((rule) => rule.FromPort === 22)).toBe(false);
  });

  it('alarms the topic on a failed status check, an unhealthy server and a struggling database', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const metrics = alarms.map((alarm) => alarm.MetricName).sort();
    expect(metrics).toEqual(['AuthServerHealthyProbes', 'CPUUtilization', 'FreeStorageSpace', 'StatusCheckFailed']);
    const topic = [{ 'Fn::ImportValue': expect.stringContaining('alktunes-data') }];
    for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: topic, OKActions: topic });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.probe = "health") && ($.http_status = "200") }',
      // A minute of only failed probes reports 0, which breaches; a minute of no lines reports nothing.
      MetricTransformations: [{ MetricNamespace: 'Alktunes/alktunes', MetricName: 'AuthServerHealthyProbes', MetricValue: '1', DefaultValue: 0 }],
    });
    expect(alarms.find((alarm) => alarm.MetricName === 'AuthServerHealthyProbes')).toMatchObject({
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      // Right after a new instance's success signal most of the window has no probe data yet.
      TreatMissingData: 'notBreaching',
      AlarmDescription: expect.stringContaining('CloudWatch agent on the instance stopped'),
    });
    expect(alarms.find((alarm) => alarm.MetricName === 'StatusCheckFailed')).toMatchObject({ TreatMissingData: 'breaching' });
  });

  it('serves the auth server over HTTPS through CloudFront and names it in AuthUrl', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    template.hasOutput('AuthUrl', { Value: { 'Fn::Join': ['', ['https://', Match.anyValue()]] } });
  });

  it('keeps the signing keys in Secrets Manager under a name of this prefix and this stack', () => {
    const keys = Object.values(template.findResources('AWS::SecretsManager::Secret')).find((secret) =>
      JSON.stringify(secret.Properties.Name).includes('alktunes/auth/signing-keys-'),
    );
    expect(keys).toBeDefined();
    expect(JSON.stringify(keys!.Properties.Name)).toContain('AWS::StackId');
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.auth)).toEqual([]);
    expect(nagFindings(stacks.auth, 'warning')).toEqual([]);
  });
});


describe('AuthStack teardown', () => {
  const resourcesOf = (template: Template, type: string) => Object.values(template.findResources(type));

  it('deletes everything with deletionProtection=false: no protection, no retained secret, the log bucket emptied and unused', () => {
    const template = Template.fromStack(synthApp({ deletionProtection: false }).auth);
    const [database] = resourcesOf(template, 'AWS::RDS::DBInstance');
    expect(database).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    for (const instance of resourcesOf(template, 'AWS::EC2::Instance')) expect(instance.Properties.DisableApiTermination ?? false).toBe(false);
    const kept = Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'Snapshot')
      .map(([id]) => id);
    expect(kept).toEqual([]);
    // CloudFront delivers logs late, into a bucket the teardown would already have emptied.
    const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket'));
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: bucketId } });
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.not(Match.objectLike({ Logging: Match.anyValue() })) });
  });

  it('with deletionProtection on, keeps the database secret beside the snapshot', () => {
    const template = Template.fromStack(synthApp().auth);
    expect(resourcesOf(template, 'AWS::RDS::DBInstance')[0]).toMatchObject({ DeletionPolicy: 'Snapshot' });
    const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
    const database = secrets.find((secret) => JSON.stringify(secret.Properties.Name).includes('/auth/database-'));
    expect(database).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // Its name holds the stack id, so the next stack of this prefix can create its own.
    expect(JSON.stringify(database!.Properties.Name)).toContain('AWS::StackId');
  });

  it('gives two prefixes no physical name in common', () => {
    // Names that are not account-wide: a disk, a metric within its namespace, an inline policy
    // within its role, the schema inside the database, the CA AWS signs with.
    const notPhysical = new Set(['DeviceName', 'MetricName', 'PolicyName', 'DBName', 'CACertificateIdentifier']);
    const names = (prefix: string) => {
      const { Resources } = Template.fromStack(synthApp({ prefix }).auth).toJSON() as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
      return Object.values(Resources).flatMap((resource) =>
        Object.entries(resource.Properties ?? {})
          .filter(([key, value]) => /(Name|Identifier)$/.test(key) && !notPhysical.has(key) && !(typeof value === 'object' && value && ('Ref' in value || 'Fn::GetAtt' in value)))
          .map(([key, value]) => `${key}: ${JSON.stringify(value)}`),
      );
    };
    const first = names('alktunes');
    expect(first.length).toBeGreaterThan(4);
    expect(names('alktunes-b').filter((name) => first.includes(name))).toEqual([]);
  });
});

describe('AuthStack with a custom domain', () => {
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';

  it('serves the domain from CloudFront with its certificate and makes it the issuer everywhere', () => {
    const stacks = synthApp({ authDomain: 'auth.example.com', authCertificateArn: certificateArn });
    expect(stacks.auth.issuer).toBe('https://auth.example.com');
    const auth = Template.fromStack(stacks.auth);
    auth.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['auth.example.com'],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    Template.fromStack(stacks.api).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://auth.example.com', Audience: ['alktunes-api'] },
    });
    const instance = Object.values(auth.findResources('AWS::EC2::Instance'))[0]!;
    expect(JSON.stringify(instance.Properties.UserData)).toContain("AUTH_ISSUER='https://auth.example.com'");
    expect(nagFindings(stacks.auth)).toEqual([]);
  });

  it('keeps exporting the CloudFront domain, so a deployment can switch to a custom domain in one deploy', () => {
    const exportsOf = (stacks: ReturnType<typeof synthApp>) =>
      Object.values(Template.fromStack(stacks.auth).toJSON().Outputs as Record<string, { Export?: { Name: string } }>)
        .map((output) => output.Export?.Name)
        .filter(Boolean);
    const imported = exportsOf(synthApp()).filter((name) => JSON.stringify(Template.fromStack(synthApp().api).toJSON()).includes(name!));
    expect(imported).toHaveLength(1);
    expect(exportsOf(synthApp({ authDomain: 'auth.example.com', authCertificateArn: certificateArn }))).toEqual(expect.arrayContaining(imported));
  });

  it('rejects a domain without its certificate, a URL for a domain and a certificate outside us-east-1', () => {
    expect(() => synthApp({ authDomain: 'auth.example.com' })).toThrow(/authDomain.*authCertificateArn.*go together/);
    expect(() => synthApp({ authDomain: 'https://auth.example.com', authCertificateArn: certificateArn })).toThrow(/authDomain.*DNS name/);
    expect(() => synthApp({ authDomain: 'auth.example.com', authCertificateArn: certificateArn.replace('us-east-1', 'eu-west-1') })).toThrow(
      /authCertificateArn.*us-east-1/,
    );
  });
});
