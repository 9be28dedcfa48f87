import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_AMI } from '../constructs/auth-server-image';
import { NAT_INSTANCE_AMI } from '../constructs/nat-instance';
import { synthApp } from '../testing/synth';
import { userDataText } from '../testing/user-data';

describe('AuthStack instance', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(synthApp().auth);
  });
  const server = () => Object.entries(template.findResources('AWS::EC2::Instance', { Properties: { InstanceType: 't4g.small' } }))[0]!;

  it('runs the server on a t4g.small in a private subnet with IMDSv2, SSM and no SSH key', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.small',
      KeyName: Match.absent(),
      SubnetId: { Ref: Match.stringLikeRegexp('serverSubnet') },
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      // Basic monitoring: status checks are per-minute anyway, and no alarm reads other EC2 metrics.
      Monitoring: Match.absent(),
    });
    // The NAT instance's too.
    const launchTemplates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(launchTemplates).toHaveLength(2);
    for (const launchTemplate of launchTemplates)
      expect(launchTemplate.Properties.LaunchTemplateData).toMatchObject({ MetadataOptions: { HttpTokens: 'required' } });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore'])] })],
    });
  });

  it('boots a pinned Node.js and starts the built server under systemd with its secrets', () => {
    const [, instance] = server();
    const script = JSON.stringify(instance.Properties.UserData);
    for (const step of [
      'nodejs.org/dist/v24.21.0/node-v24.21.0-linux-arm64.tar.xz',
      'sha256sum -c',
      'dnf install -y nginx',
      'amazon-cloudwatch-agent-ctl',
      'systemctl restart alktunes-auth.service',
      'secretsmanager get-secret-value',
      "AUTH_AUDIENCE='alktunes-api'",
      "TRUSTED_PROXIES='127.0.0.1'",
      'cfn-signal',
    ]) {
      expect(script).toContain(step);
    }
    expect(script).not.toMatch(/pm2|ecosystem|latest-v24/);
    expect(instance.CreationPolicy).toMatchObject({ ResourceSignal: { Timeout: 'PT20M' } });
  });

  it('reports success to CloudFormation last, after the health check: only then does the VPC origin move to it', () => {
    const [serverId, instance] = server();
    const script = userDataText(instance.Properties.UserData);
    const lines = script.trimEnd().split('\n');
    // The exit trap sends cfn-signal after the last command.
    expect(lines.at(-1)).toBe('wait_until_healthy');
    expect(script).toMatch(/\ntrap exitTrap EXIT\n/);
    expect(script.match(/cfn-signal/g)).toHaveLength(1);
    expect(script).toContain(`cfn-signal --stack alktunes-auth --resource ${serverId} `);
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({ Arn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: serverId }])] } }),
    });
  });

  it("names only its issuer's parameter and CloudFront's prefix list in its own policy, and moves no addresses", () => {
    const [, profile] = Object.entries(template.findResources('AWS::IAM::InstanceProfile')).find(([, candidate]) =>
      JSON.stringify(candidate.Properties.Roles).includes('ServerInstance'),
    )!;
    // Session Manager's managed policy is the one other policy, and it allows more: ssm:GetParameter(s)
    // on every parameter of the account (a trade-off stated in AuthServerInstance).
    const [roleId] = (profile.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
    expect(template.toJSON().Resources[roleId!].Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
    ]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify(profile.Properties.Roles))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const [lookupId] = Object.keys(template.findResources('Custom::PrefixListLookup'));
    expect(statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ssm:Get')))).toEqual([
      {
        Action: 'ssm:GetParameters',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':parameter/alktunes/auth/issuer',
            ],
          ],
        },
      },
    ]);
    expect(statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ec2:')))).toEqual([
      { Action: 'ec2:GetManagedPrefixListEntries', Effect: 'Allow', Resource: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListArn'] } },
    ]);
  });

  it("pins the images (the server's and the NAT instance's apart) by Amazon Linux release name and is replaceable: no termination protection", () => {
    const lookups = Object.entries(template.findResources('Custom::AmiLookup'));
    const imageOf = (instanceType: string) => {
      const [, instance] = Object.entries(template.findResources('AWS::EC2::Instance', { Properties: { InstanceType: instanceType } }))[0]!;
      const [lookupId] = instance.Properties.ImageId['Fn::GetAtt'] as [string];
      return JSON.stringify(lookups.find(([id]) => id === lookupId)![1].Properties);
    };
    expect(imageOf('t4g.small')).toContain(DEFAULT_AUTH_AMI);
    expect(imageOf('t4g.nano')).toContain(NAT_INSTANCE_AMI);
    expect(lookups).toHaveLength(2);
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
});

describe('AuthStack image context', () => {
  it('uses an AMI id as given, without a lookup', () => {
    const template = Template.fromStack(synthApp({ authAmi: 'ami-0123456789abcdef0' }).auth);
    template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 't4g.small', ImageId: 'ami-0123456789abcdef0' });
    // The NAT instance's stays pinned by name.
    template.resourceCountIs('Custom::AmiLookup', 1);
  });

  it('rejects an image that is neither an AMI id nor an arm64 Amazon Linux 2023 name', () => {
    expect(() => synthApp({ authAmi: 'al2023-ami-2023.10.20260302.1-kernel-6.1-x86_64' })).toThrow(/authAmi/);
  });
});
