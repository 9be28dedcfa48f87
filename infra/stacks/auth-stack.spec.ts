import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { natInstanceBootScript } from '../constructs/nat-instance';
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

  const instances = () => Object.entries(template.findResources('AWS::EC2::Instance'));
  const serverInstanceId = () => instances().find(([, instance]) => instance.Properties.InstanceType === 't4g.small')![0];
  const natInstanceId = () => instances().find(([, instance]) => instance.Properties.InstanceType === 't4g.nano')![0];

  it('builds a 2-AZ VPC: public subnets for one NAT instance, private ones for the server, isolated ones for the database', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    expect(instances()).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      CreditSpecification: { CPUCredits: 'standard' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
      SubnetId: { Ref: Match.stringLikeRegexp('publicSubnet1') },
    });
    expect(template.toJSON().Resources[natInstanceId()].Properties.UserData).toEqual({
      'Fn::Base64': ['#!/bin/bash', ...natInstanceBootScript].join('\n'),
    });
    // Both private subnets' way out is the NAT instance; the database's subnets have none.
    const defaultRoutes = Object.values(
      template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0' } }),
    ).map((route) => route.Properties);
    expect(defaultRoutes.filter((route) => route.InstanceId)).toEqual([
      expect.objectContaining({ RouteTableId: { Ref: expect.stringMatching(/serverSubnet1/) }, InstanceId: { Ref: natInstanceId() } }),
      expect.objectContaining({ RouteTableId: { Ref: expect.stringMatching(/serverSubnet2/) }, InstanceId: { Ref: natInstanceId() } }),
    ]);
    expect(JSON.stringify(defaultRoutes)).not.toMatch(/databaseSubnet/);
    // The server boots through the NAT instance (Node.js, Secrets Manager): it starts once the routes exist.
    const serverRoutes = Object.entries(
      template.findResources('AWS::EC2::Route', { Properties: { InstanceId: { Ref: natInstanceId() } } }),
    ).map(([id]) => id);
    expect(serverRoutes).toHaveLength(2);
    expect(template.toJSON().Resources[serverInstanceId()].DependsOn).toEqual(expect.arrayContaining(serverRoutes));
    // S3 and DynamoDB without the NAT instance, and at no charge.
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((endpoint) =>
      JSON.stringify(endpoint.Properties.ServiceName),
    );
    expect(endpoints).toEqual([expect.stringContaining('.s3'), expect.stringContaining('.dynamodb')]);
    template.allResourcesProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
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

  it('names the database in its secret and in the boot script, which falls back to it', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBName: 'alktunes' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'password',
        SecretStringTemplate: Match.serializedJson(Match.objectLike({ dbname: 'alktunes' })),
      }),
    });
    const instance = template.toJSON().Resources[serverInstanceId()];
    expect(userDataText(instance.Properties.UserData)).toMatch(/database_url=\$\(printf '%s' "\$db_secret" \| node -e '.+' alktunes\)\n/);
  });

  it('refuses connections without TLS at the database', () => {
    const [groupId] = Object.keys(
      template.findResources('AWS::RDS::DBParameterGroup', { Properties: { Parameters: { require_secure_transport: '1' } } }),
    );
    expect(groupId).toBeDefined();
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: groupId } });
  });

  it("admits only CloudFront's origin-facing servers to nginx, the server to MySQL and to the NAT instance, nothing from the internet", () => {
    const ingress = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
        (sg) => (sg.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[],
      ),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties as Record<string, unknown>),
    ];
    const [lookupId] = Object.keys(template.findResources('Custom::PrefixListLookup'));
    template.hasResourceProperties('Custom::PrefixListLookup', {
      Create: Match.serializedJson(
        Match.objectLike({
          action: 'DescribeManagedPrefixLists',
          parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.global.cloudfront.origin-facing'] }] },
        }),
      ),
    });
    const groupId = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'GroupId'] });
    const [natGroupId] = Object.keys(
      template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'Security Group for NAT instances' } }),
    );
    const server = groupId(sgId('serverSecurityGroup'));
    const rule = (source: Record<string, unknown>, group: unknown, port: number) =>
      expect.objectContaining({ ...source, GroupId: group, FromPort: port, ToPort: port, IpProtocol: 'tcp' });
    expect(ingress).toEqual(
      expect.arrayContaining([
        rule({ SourcePrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] } }, server, 80),
        rule({ SourceSecurityGroupId: server }, groupId(sgId('databaseSecurityGroup')), 3306),
        rule({ SourceSecurityGroupId: server }, groupId(natGroupId!), 443),
        rule({ SourceSecurityGroupId: server }, groupId(natGroupId!), 80),
      ]),
    );
    expect(ingress).toHaveLength(4);
    expect(ingress.filter((candidate) => 'CidrIp' in candidate || 'CidrIpv6' in candidate)).toEqual([]);
  });

  it('reaches the server only as a CloudFront VPC origin: no public address, no Elastic IP', () => {
    template.resourceCountIs('AWS::EC2::EIP', 0);
    const server = serverInstanceId();
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({
        Arn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':instance/$'), { Ref: server }])] },
        HTTPPort: 80,
        OriginProtocolPolicy: 'http-only',
      }),
    });
    const [vpcOriginId] = Object.keys(template.findResources('AWS::CloudFront::VpcOrigin'));
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [server, 'PrivateDnsName'] },
            VpcOriginConfig: Match.objectLike({ VpcOriginId: { 'Fn::GetAtt': [vpcOriginId, 'Id'] } }),
          }),
        ],
      }),
    });
    // In a subnet that gives no public address, whose way out is the NAT instance.
    const subnetId = (template.toJSON().Resources[server].Properties.SubnetId as { Ref: string }).Ref;
    expect(subnetId).toMatch(/serverSubnet/);
    expect(template.toJSON().Resources[subnetId].Properties.MapPublicIpOnLaunch).toBe(false);
    expect(JSON.stringify(template.toJSON().Resources[server].Properties)).not.toMatch(/AssociatePublicIpAddress":true/);
  });

  it('creates a new VPC origin for each new instance: CloudFront refuses to change one in use', () => {
    const originOf = (stacks_: ReturnType<typeof synthApp>) => {
      const synthesized = Template.fromStack(stacks_.auth);
      const origins = Object.entries(synthesized.findResources('AWS::CloudFront::VpcOrigin'));
      expect(origins).toHaveLength(1);
      const [id, origin] = origins[0]!;
      const [server] = Object.keys(synthesized.findResources('AWS::EC2::Instance', { Properties: { InstanceType: 't4g.small' } }));
      synthesized.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [Match.objectLike({ VpcOriginConfig: Match.objectLike({ VpcOriginId: { 'Fn::GetAtt': [id, 'Id'] } }) })],
        }),
      });
      return { id, name: String(origin.Properties.VpcOriginEndpointConfig.Name), server };
    };
    const deployed = originOf(stacks);
    expect(deployed.name).toMatch(/^alktunes-auth-server-[0-9a-f]{16}$/);
    // The same artifact and settings keep the origin (no 15-minute origin creation on every deploy).
    expect(originOf(synthApp())).toEqual(deployed);
    // Changed user data (a setting, or a new artifact) replaces the instance, and so does a new image.
    for (const replaced of [synthApp({ registration: 'open' }), synthApp({ authAmi: 'al2023-ami-2023.10.20260401.0-kernel-6.1-arm64' })]) {
      const next = originOf(replaced);
      expect(next.id).not.toBe(deployed.id);
      expect(next.name).not.toBe(deployed.name);
    }
    expect(originOf(synthApp({ registration: 'open' })).server).not.toBe(deployed.server);
  });

  it('has no dependency cycle between the instance and the distribution that reaches it, with or without a custom domain', () => {
    // Template.fromStack refuses a template CloudFormation would reject as circular.
    const withDomain = synthApp({
      authDomain: 'auth.example.com',
      authCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
    });
    expect(() => Template.fromStack(withDomain.auth)).not.toThrow();
    expect(() => Template.fromStack(stacks.auth)).not.toThrow();
  });

  it('hands the instance its issuer, the CloudFront URL, through a parameter written once the distribution exists', () => {
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/alktunes/auth/issuer',
      Type: 'String',
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
    });
    const userData = userDataText(template.toJSON().Resources[serverInstanceId()].Properties.UserData);
    expect(userData).toContain('aws ssm get-parameters --region <{"Ref":"AWS::Region"}> --names \'/alktunes/auth/issuer\'');
    expect(userData).not.toContain(distributionId);
  });

  it('configures the server for nginx as its one proxy and with the registration policy of the context', () => {
    const userData = (stacks_: ReturnType<typeof synthApp>) =>
      userDataText(
        Object.values(
          Template.fromStack(stacks_.auth).findResources('AWS::EC2::Instance', { Properties: { InstanceType: 't4g.small' } }),
        )[0]!.Properties.UserData,
      );
    const text = userData(stacks);
    expect(text).toContain("TRUSTED_PROXIES='127.0.0.1'");
    expect(text).not.toContain('TRUST_PROXY=');
    expect(text).toContain("REGISTRATION='invite'");
    expect(userData(synthApp({ registration: 'open' }))).toContain("REGISTRATION='open'");
    expect(() => synthApp({ registration: 'public' })).toThrow(/context "registration" must be "open", "invite", "closed", got "public"/);
  });

  it('alarms the topic on a failed status check (server or NAT instance), an unhealthy server and a struggling database', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const metrics = alarms.map((alarm) => alarm.MetricName).sort();
    expect(metrics).toEqual(['AuthServerFailedProbes', 'CPUUtilization', 'FreeStorageSpace', 'StatusCheckFailed', 'StatusCheckFailed']);
    const statusChecked = alarms.filter((alarm) => alarm.MetricName === 'StatusCheckFailed').map((alarm) => alarm.Dimensions[0].Value.Ref);
    expect(statusChecked.sort()).toEqual([natInstanceId(), serverInstanceId()].sort());
    const topic = [{ 'Fn::ImportValue': expect.stringContaining('alktunes-data') }];
    for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: topic, OKActions: topic });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.probe = "health") && ($.http_status != "200") }',
      // Only failed probes count: other lines in the group (the boot log's among them) report nothing.
      MetricTransformations: [{ MetricNamespace: 'Alktunes/alktunes', MetricName: 'AuthServerFailedProbes', MetricValue: '1' }],
    });
    expect(alarms.find((alarm) => alarm.MetricName === 'AuthServerFailedProbes')).toMatchObject({
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      // Right after a new instance's success signal most of the window has no probe data yet.
      TreatMissingData: 'notBreaching',
      AlarmDescription: expect.stringContaining('CloudWatch agent on the instance stopped'),
    });
    const statusAlarm = (instanceId: string) =>
      alarms.find((alarm) => alarm.MetricName === 'StatusCheckFailed' && alarm.Dimensions[0].Value.Ref === instanceId);
    // The server's alarm is created once the server has signalled, so a dead server breaches.
    expect(statusAlarm(serverInstanceId())).toMatchObject({ TreatMissingData: 'breaching' });
    // A new NAT instance (first deployment, new image) reports no checks for its first minutes.
    expect(statusAlarm(natInstanceId())).toMatchObject({ TreatMissingData: 'notBreaching' });
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
    for (const instance of resourcesOf(template, 'AWS::EC2::Instance'))
      expect(instance.Properties.DisableApiTermination ?? false).toBe(false);
    const kept = Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'Snapshot')
      .map(([id]) => id);
    expect(kept).toEqual([]);
    // CloudFront delivers logs late, into a bucket the teardown would already have emptied.
    const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket'));
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: bucketId } });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.not(Match.objectLike({ Logging: Match.anyValue() })),
    });
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
    // within its role, the schema inside the database, the CA AWS signs with, an AWS service.
    const notPhysical = new Set(['DeviceName', 'MetricName', 'PolicyName', 'DBName', 'CACertificateIdentifier', 'ServiceName']);
    const names = (prefix: string) => {
      const { Resources } = Template.fromStack(synthApp({ prefix }).auth).toJSON() as {
        Resources: Record<string, { Properties?: Record<string, unknown> }>;
      };
      return Object.values(Resources).flatMap((resource) =>
        Object.entries(resource.Properties ?? {})
          .filter(
            ([key, value]) =>
              /(Name|Identifier)$/.test(key) &&
              !notPhysical.has(key) &&
              !(typeof value === 'object' && value && ('Ref' in value || 'Fn::GetAtt' in value)),
          )
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
    const instance = Object.values(auth.findResources('AWS::EC2::Instance', { Properties: { InstanceType: 't4g.small' } }))[0]!;
    expect(JSON.stringify(instance.Properties.UserData)).toContain("AUTH_ISSUER='https://auth.example.com'");
    // Known before anything is deployed, so no parameter carries it.
    auth.resourceCountIs('AWS::SSM::Parameter', 0);
    expect(nagFindings(stacks.auth)).toEqual([]);
  });

  it('keeps exporting the CloudFront domain, so a deployment can switch to a custom domain in one deploy', () => {
    const exportsOf = (stacks: ReturnType<typeof synthApp>) =>
      Object.values(Template.fromStack(stacks.auth).toJSON().Outputs as Record<string, { Export?: { Name: string } }>)
        .map((output) => output.Export?.Name)
        .filter(Boolean);
    const imported = exportsOf(synthApp()).filter((name) => JSON.stringify(Template.fromStack(synthApp().api).toJSON()).includes(name!));
    expect(imported).toHaveLength(1);
    expect(exportsOf(synthApp({ authDomain: 'auth.example.com', authCertificateArn: certificateArn }))).toEqual(
      expect.arrayContaining(imported),
    );
  });

  it('rejects a domain without its certificate, a URL for a domain and a certificate outside us-east-1', () => {
    expect(() => synthApp({ authDomain: 'auth.example.com' })).toThrow(/authDomain.*authCertificateArn.*go together/);
    expect(() => synthApp({ authDomain: 'https://auth.example.com', authCertificateArn: certificateArn })).toThrow(/authDomain.*DNS name/);
    expect(() =>
      synthApp({ authDomain: 'auth.example.com', authCertificateArn: certificateArn.replace('us-east-1', 'eu-west-1') }),
    ).toThrow(/authCertificateArn.*us-east-1/);
  });
});
