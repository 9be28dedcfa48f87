import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
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

  it('keeps MySQL 8.0 private, encrypted, backed up and deletion-protected', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: Match.stringLikeRegexp('^8\\.0'),
      PubliclyAccessible: false,
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
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

  it('opens only 80/443 to the world and 3306 only from the auth server', () => {
    const ingress = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
        (sg) => (sg.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[],
      ),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties as Record<string, unknown>),
    ];
    const world = ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0');
    expect(world.map((rule) => [rule.FromPort, rule.ToPort]).sort()).toEqual([
      [443, 443],
      [80, 80],
    ]);
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
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore'])] })],
    });
  });

  it('boots Node 24, PM2 and nginx and starts the built server with its secrets', () => {
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    const script = JSON.stringify(instance.Properties.UserData);
    for (const step of ['latest-v24.x', 'sha256sum -c', 'npm install -g pm2', 'dnf install -y nginx', 'pm2 startOrReload', 'secretsmanager get-secret-value', 'AUTH_AUDIENCE=', 'TRUST_PROXY=', 'cfn-signal']) {
      expect(script).toContain(step);
    }
    expect(instance.CreationPolicy).toMatchObject({ ResourceSignal: { Timeout: 'PT20M' } });
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

  it('keeps the signing keys in Secrets Manager', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'alktunes/auth/signing-keys' });
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.auth)).toEqual([]);
    expect(nagFindings(stacks.auth, 'warning')).toEqual([]);
  });
});

describe('AuthStack with a custom issuer', () => {
  it('tells the API authorizer and the server the same issuer', () => {
    const stacks = synthApp({ authIssuer: 'https://auth.example.com/' });
    expect(stacks.auth.issuer).toBe('https://auth.example.com');
    Template.fromStack(stacks.api).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://auth.example.com', Audience: ['alktunes-api'] },
    });
    const instance = Object.values(Template.fromStack(stacks.auth).findResources('AWS::EC2::Instance'))[0]!;
    expect(JSON.stringify(instance.Properties.UserData)).toContain("AUTH_ISSUER='https://auth.example.com'");
  });
});
