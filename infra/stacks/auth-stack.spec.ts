import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_AMI } from '../constructs/auth-server-image';
import { nagFindings, synthApp } from '../testing/synth';

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

  it('runs the server on a t4g.small in a public subnet with IMDSv2, SSM and no SSH key', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.small',
      KeyName: Match.absent(),
      SubnetId: { Ref: Match.stringLikeRegexp('publicSubnet') },
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      // Basic monitoring: status checks are per-minute anyway, and no alarm reads other EC2 metrics.
      Monitoring: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore'])] })],
    });
  });

  it('boots a pinned Node.js and starts the built server under systemd with its secrets', () => {
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    const script = JSON.stringify(instance.Properties.UserData);
    for (const step of ['nodejs.org/dist/v24.21.0/node-v24.21.0-linux-arm64.tar.xz', 'sha256sum -c', 'dnf install -y nginx', 'amazon-cloudwatch-agent-ctl', 'systemctl restart alktunes-auth.service', 'secretsmanager get-secret-value', "AUTH_AUDIENCE='alktunes-api'", 'TRUST_PROXY=', 'cfn-signal']) {
      expect(script).toContain(step);
    }
    expect(script).not.toMatch(/pm2|ecosystem|latest-v24/);
    expect(instance.CreationPolicy).toMatchObject({ ResourceSignal: { Timeout: 'PT20M' } });
  });

  it('has the instance take the Elastic IP itself, last, once healthy: CloudFormation never moves it', () => {
    template.resourceCountIs('AWS::EC2::EIPAssociation', 0);
    const [addressId] = Object.keys(template.findResources('AWS::EC2::EIP'));
    const allocationId = { 'Fn::GetAtt': [addressId, 'AllocationId'] };
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    const script = userDataText(instance.Properties.UserData);
    const lines = script.trimEnd().split('\n');
    // The exit trap sends cfn-signal after the last command, which claims the address after the health check.
    expect(lines.at(-1)).toBe('claim_elastic_ip');
    expect(lines.indexOf('wait_until_healthy')).toBeGreaterThan(0);
    expect(lines.indexOf('wait_until_healthy')).toBeLessThan(lines.length - 1);
    expect(script).toMatch(/\ntrap exitTrap EXIT\n/);
    expect(script.match(/cfn-signal/g)).toHaveLength(1);
    expect(script).toContain(`aws ec2 associate-address --region <{"Ref":"AWS::Region"}> --allocation-id '<${JSON.stringify(allocationId)}>' --instance-id "$instance_id" --allow-reassociation`);
    // Its public subnet gives it an address to boot with (packages, AWS APIs) until then.
    template.hasResourceProperties('AWS::EC2::Subnet', { SubnetId: Match.absent(), MapPublicIpOnLaunch: true });
    // CloudFront's origin is the address's DNS name, known before any instance exists.
    expect(JSON.stringify(template.findResources('AWS::CloudFront::Distribution'))).toContain(JSON.stringify({ 'Fn::GetAtt': [addressId, 'PublicIp'] }));
  });

  it('lets the instance associate only that address, and only with instances of its own profile', () => {
    const [addressId] = Object.keys(template.findResources('AWS::EC2::EIP'));
    const [vpcId] = Object.keys(template.findResources('AWS::EC2::VPC'));
    const [profileId, profile] = Object.entries(template.findResources('AWS::IAM::InstanceProfile'))[0]!;
    const arn = (resource: unknown[]) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...resource]],
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const grants = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
        .filter((statement) => [statement.Action].flat().includes('ec2:AssociateAddress'))
        .map((statement) => ({ roles: policy.Properties.Roles, statement })),
    );
    expect(grants).toEqual([
      { roles: profile.Properties.Roles, statement: { Action: 'ec2:AssociateAddress', Effect: 'Allow', Resource: arn([':elastic-ip/', { 'Fn::GetAtt': [addressId, 'AllocationId'] }]) } },
      {
        roles: profile.Properties.Roles,
        statement: {
          Action: 'ec2:AssociateAddress',
          Effect: 'Allow',
          Resource: arn([':instance/*']),
          Condition: { ArnEquals: { 'ec2:InstanceProfile': { 'Fn::GetAtt': [profileId, 'Arn'] } } },
        },
      },
      {
        roles: profile.Properties.Roles,
        statement: {
          Action: 'ec2:AssociateAddress',
          Effect: 'Allow',
          Resource: arn([':network-interface/*']),
          Condition: { ArnEquals: { 'ec2:Vpc': arn([':vpc/', { Ref: vpcId }]) } },
        },
      },
    ]);
  });

  it('pins the image by Amazon Linux release name and is replaceable: no termination protection', () => {
    const [lookupId, lookup] = Object.entries(template.findResources('Custom::AmiLookup'))[0]!;
    expect(JSON.stringify(lookup.Properties)).toContain(DEFAULT_AUTH_AMI);
    template.hasResourceProperties('AWS::EC2::Instance', { ImageId: { 'Fn::GetAtt': [lookupId, 'Images.0.ImageId'] } });
    for (const instance of Object.values(template.findResources('AWS::EC2::Instance'))) {
      expect(instance.Properties.DisableApiTermination ?? false).toBe(false);
    }
    // Nothing resolves the image at each deploy (an SSM "latest" parameter would float).
    expect(JSON.stringify(template.toJSON().Parameters ?? {})).not.toContain('ami-amazon-linux-latest');
  });

  it('ships the server logs to a log group with retention that the instance may only append to', () => {
    const [groupId] = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/alktunes/auth-server' } }));
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/alktunes/auth-server', RetentionInDays: 30 });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const onGroup = statements.filter((statement) => JSON.stringify(statement.Resource).includes(groupId!));
    expect(onGroup).toEqual([expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })]);
  });

  it('alarms the topic on a failed status check, an unhealthy server and a struggling database', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const metrics = alarms.map((alarm) => alarm.MetricName).sort();
    expect(metrics).toEqual(['AuthServerHealthyProbes', 'CPUUtilization', 'FreeStorageSpace', 'StatusCheckFailed']);
    const topic = [{ 'Fn::ImportValue': expect.stringContaining('alktunes-data') }];
    for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: topic, OKActions: topic });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.probe = "health") && ($.http_status = "200") }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Alktunes/alktunes', MetricName: 'AuthServerHealthyProbes' })],
    });
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


/** User data as text, each deploy-time value shown as `<its token JSON>`. */
function userDataText(userData: { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } }): string {
  return userData['Fn::Base64']['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
}

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

describe('AuthStack image context', () => {
  it('uses an AMI id as given, without a lookup', () => {
    const template = Template.fromStack(synthApp({ authAmi: 'ami-0123456789abcdef0' }).auth);
    template.hasResourceProperties('AWS::EC2::Instance', { ImageId: 'ami-0123456789abcdef0' });
    template.resourceCountIs('Custom::AmiLookup', 0);
  });

  it('rejects an image that is neither an AMI id nor an arm64 Amazon Linux 2023 name', () => {
    expect(() => synthApp({ authAmi: 'al2023-ami-2023.10.20260302.1-kernel-6.1-x86_64' })).toThrow(/authAmi/);
  });
});
